"""The dashboard's bar charts: each label stands whole above its bar, bars are in proportion,
and values are written as the page's language writes numbers."""

import re

from flask import get_template_attribute
from flask_babel import force_locale

LONG = "Сәйкессіздіктерді жою бойынша түзету әрекеттері"  # a stage's name in Kazakh


def _chart(app, locale: str, rows=((LONG, 34.1), ("Тексеру", 268.8))) -> str:
    with app.test_request_context("/"), force_locale(locale):
        bars = get_template_attribute("_macros/charts.html", "bars")
        return str(bars(list(rows), "Медиана", " к."))


def test_each_label_is_text_of_the_page_on_its_own_line_above_its_bar(app):
    chart = _chart(app, "kk")
    # The whole label, as the page's text (not inside the drawing, where it shrank with it).
    item = re.search(rf'<li><span class="bar-label">{LONG}</span>\s*'
                     r'<span class="bar-line"><svg class="bar"[^>]*aria-hidden="true"', chart)
    assert item
    assert "<text" not in chart


def test_bars_are_in_proportion_and_leave_room_for_their_value(app):
    widths = [float(w) for w in re.findall(r'<svg class="bar" width="([\d.]+)%"',
                                           _chart(app, "en", [("a", 50), ("b", 200), ("c", 0)]))]
    assert widths == [20.0, 80.0, 0.0]


def test_values_use_the_languages_decimal_mark(app):
    assert '<span class="bar-value">34,1 к.</span>' in _chart(app, "kk")
    assert '<span class="bar-value">34.1 к.</span>' in _chart(app, "en")


def test_a_chart_without_rows_says_so(app):
    with app.test_request_context("/"), force_locale("en"):
        bars = get_template_attribute("_macros/charts.html", "bars")
        assert "No data yet." in str(bars([], "Медиана"))
