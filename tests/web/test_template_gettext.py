"""The templates' translation callables: Jinja's new-style behaviour, in the page's language."""

import pytest
from flask import render_template_string
from flask_babel import force_locale


@pytest.mark.parametrize(("source", "expected"), [
    ("{{ _('Sign out') }}", "Выйти"),
    # Values are escaped, the translated text is not (it is ours and may hold markup).
    ("{{ _('%(n)d unread', n=3) }}", "Непрочитанных: 3"),
    ("{{ _('Hello %(name)s', name='<b>') }}", "Hello &lt;b&gt;"),
    # A lone string is a format string too: "%%" is one "%".
    ("{{ _('100%%') }}", "100%"),
    ("{{ ngettext('%(num)d working day', '%(num)d working days', 5) }}", "5 рабочих дней"),
    ("{{ pgettext('language', 'Change') }}", "Сменить"),
    ("{% trans n=2 %}{{ n }} file{% pluralize %}{{ n }} files{% endtrans %}", "2 files"),
])
def test_templates_translate_and_format_as_jinja_new_style_callables(ctx, source, expected):
    with force_locale("ru"):
        assert render_template_string(source) == expected


def test_outside_autoescape_the_translation_is_plain_text(ctx):
    with force_locale("en"):
        text = render_template_string(
            "{% autoescape false %}{{ _('Hello %(name)s', name='<b>') }}{% endautoescape %}")
    assert text == "Hello <b>"
