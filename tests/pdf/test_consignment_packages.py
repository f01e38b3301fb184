"""A number of packages reads as English does: "1 carton", "720 cartons", in a lot's row and
in the totals under the lots, beside the Chinese and Kazakh names."""

import io
import re

from pypdf import PdfReader

from certtrack.demo.consignment import demo_vet_context
from certtrack.pdf import render_consignment_certificate


def _text(context) -> str:
    content = render_consignment_certificate(context, development_seal=True).content
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    return " ".join(text.split())


def test_one_package_is_named_in_the_singular_and_more_in_the_plural():
    context = demo_vet_context()
    pallet = {**context["lots"][0], "packages_number": 1, "packages_kind": "pallets",
              "packages_name": {"kk": "паллет", "en": "pallets", "zh": "托盘"},
              "marks": "Container MSKU 1234565, seal 004513"}
    context["lots"].append(pallet)
    text = _text(context)
    # Each lot's row, then the totals: 720 cartons; 1 pallet.
    assert len(re.findall(r"\b720 cartons\b", text)) == 2, text
    assert len(re.findall(r"\b1 pallet\b(?!s)", text)) == 2, text
    assert "1 pallets" not in text


def test_a_single_carton_is_one_carton():
    context = demo_vet_context()
    context["lots"][0]["packages_number"] = 1
    text = _text(context)
    assert "1 carton" in text and "1 cartons" not in text
