"""Print stylesheets parse without warnings; print templates never switch escaping off."""

import logging
import re

import pytest
from weasyprint import CSS

from certtrack.pdf import engine
from certtrack.pdf.templating import TEMPLATES_PDF, environment


@pytest.mark.parametrize("name", ["base.css", "certificate.css", "dossier.css"])
def test_stylesheet_parses_without_warnings(name, caplog):
    text = (engine.STATIC_PDF / name).read_text(encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        CSS(string=text, font_config=engine.font_config())
    assert [record.getMessage() for record in caplog.records] == []


def test_stylesheets_name_only_the_embedded_font_families():
    for path in engine.STATIC_PDF.glob("*.css"):
        for stack in re.findall(r"font-family:\s*([^;]+);", path.read_text(encoding="utf-8")):
            families = {family.strip().strip('"') for family in stack.split(",")}
            assert families <= engine.FONT_FAMILIES, (path.name, stack)


def test_print_templates_keep_autoescape_on():
    assert environment().autoescape is True
    for path in TEMPLATES_PDF.glob("*.html"):
        source = path.read_text(encoding="utf-8")
        assert not re.search(r"\|\s*safe\b|autoescape\s+false|Markup", source), path.name
