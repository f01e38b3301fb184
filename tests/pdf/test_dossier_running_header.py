"""The dossier's running header keeps a batch's long reference on its line, below the
development seal's banner: "REC-MSH-" / "GACC-20260824-0019-1" wrapped up into the banner."""

import re
import subprocess

from certtrack import create_app
from certtrack.demo.dossier import demo_dossier_context
from certtrack.pdf.render import render_dossier

REFERENCE = "REC-MSH-GACC-20260824-0019-1"


def _words(pdf: bytes, page: int) -> list[tuple[float, float, str]]:
    """(yMin, yMax, word) of every word on `page`."""
    boxes = subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), "-bbox", "-", "-"],
                           input=pdf, check=True, capture_output=True).stdout.decode()
    return [(float(top), float(bottom), word) for top, bottom, word in re.findall(
        r'<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]+)</word>',
        boxes)]


def test_a_long_batch_reference_stays_on_the_headers_line_below_the_banner(tmp_path):
    app = create_app({"TESTING": True, "SECRET_KEY": "test-secret-key",
                      "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    with app.app_context():
        context = {**demo_dossier_context(), "reference": REFERENCE}
        pdf = render_dossier(context, development_seal=True).content
    words = _words(pdf, 3)
    [(reference_top, _bottom, _word)] = [w for w in words if w[2] == REFERENCE]  # whole
    header_top = min(top for top, _bottom, word in words if word == "Recommendation")
    assert abs(reference_top - header_top) < 1  # one line
    banner_bottom = max(bottom for _top, bottom, word in words if word == "DEVELOPMENT")
    assert banner_bottom < header_top
