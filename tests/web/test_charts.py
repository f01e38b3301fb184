"""The dashboard's bar charts: a long label never runs into its bar, and values are written as
the page's language writes numbers."""

import re

from flask import get_template_attribute
from flask_babel import force_locale

LONG = "Сәйкессіздіктерді жою бойынша түзету әрекеттері"  # a stage's name in Kazakh


def _chart(app, locale: str) -> str:
    with app.test_request_context("/"), force_locale(locale):
        bars = get_template_attribute("_macros/charts.html", "bars")
        return str(bars([(LONG, 34.1), ("Тексеру", 268.8)], "Медиана", " к."))


def test_each_label_stands_on_its_own_line_above_its_bar(app):
    chart = _chart(app, "kk")
    label_y = int(re.search(rf'<text x="0" y="(\d+)"[^>]*>{LONG}</text>', chart).group(1))
    bar_y = int(re.search(r'<rect x="0" y="(\d+)"', chart).group(1))
    assert bar_y > label_y  # the bar starts below the label's baseline, at the left edge


def test_values_use_the_languages_decimal_mark_and_stay_inside_the_chart(app):
    assert ">34,1 к.</text>" in _chart(app, "kk")
    assert ">34.1 к.</text>" in _chart(app, "en")
    widths = [float(x) for x in re.findall(r'<text x="([\d.]+)" y="\d+"[^>]*>[\d.,]+ ',
                                           _chart(app, "en"))]
    assert widths and max(widths) + 60 <= 600  # the longest value's text ends inside
