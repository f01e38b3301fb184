"""Contexts of the PDF renderer: plain values only, and the JSON embedded in a certificate."""

import datetime as dt
import json
import subprocess
import sys
from decimal import Decimal

import pytest
from markupsafe import Markup

from certtrack.demo.certificate import demo_certificate_context
from certtrack.demo.dossier import demo_dossier_context
from certtrack.pdf import certificate_json, render_certificate
from certtrack.pdf.contexts import check_plain


class FakeModel:
    """Stands for an ORM object that must never reach a template."""

    name = "Zhetysu Meat LLP"


@pytest.mark.parametrize("value", [
    FakeModel(),
    Markup("<b>trusted</b>"),
    Decimal("1.5"),
    b"bytes",
    {"a", "set"},
    {1: "non-str key"},
])
def test_check_plain_refuses_anything_but_plain_values(value):
    with pytest.raises(TypeError):
        check_plain({"enterprise": {"name": [value]}})


def test_check_plain_names_the_offending_path():
    with pytest.raises(TypeError, match=r"certificate\.products\[1\]\.name"):
        check_plain({"products": [{"name": "ok"}, {"name": FakeModel()}]}, "certificate")


def test_demo_contexts_are_plain():
    check_plain(demo_certificate_context())
    check_plain(demo_dossier_context())


def test_render_certificate_refuses_markup_before_rendering():
    context = demo_certificate_context()
    context["enterprise"]["name"]["en"] = Markup("<i>pre-escaped</i>")
    with pytest.raises(TypeError, match="Markup"):
        render_certificate(context)


def test_render_certificate_names_missing_keys():
    context = demo_certificate_context()
    del context["china_registration_number"]
    with pytest.raises(KeyError, match="china_registration_number"):
        render_certificate(context)


def test_certificate_json_is_sorted_utf8_with_iso_dates():
    context = demo_certificate_context()
    raw = certificate_json(context)
    text = raw.decode("utf-8")
    assert "Талдықорған Ет-Сүт Кәсіпорны" in text  # not \u-escaped
    data = json.loads(raw)
    assert data["valid_to"] == "2031-03-11"
    assert data["issued_on"] == dt.date(2026, 3, 16).isoformat()
    assert list(data) == sorted(data)
    assert json.dumps(data, ensure_ascii=False, sort_keys=True, indent=2) + "\n" == text


def test_importing_the_package_does_not_import_weasyprint():
    code = "import sys, certtrack.pdf, certtrack.demo.documents; print('weasyprint' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "False"
