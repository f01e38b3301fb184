"""Consignment certificates: the phytosanitary (ISPM 12) and veterinary (WOAH) prints."""

from __future__ import annotations

from decimal import Decimal

from certtrack.domain.quantities import LotQuantity, declared_totals
from certtrack.pdf.contexts import check_plain, require_keys, to_json
from certtrack.pdf.render import qr_data_uri
from certtrack.pdf.rendered import PdfAttachment, RenderedPdf
from certtrack.pdf.sps import sps_certificate
from certtrack.pdf.templating import local_midnight, render_html

CONSIGNMENT_KEYS = (
    "kind", "number", "verification_url", "issued_on", "authority", "exporter",
    "establishment", "consignee", "officer", "place_of_issue", "origin", "conveyance",
    "point_of_entry", "lots", "treatments", "declarations", "production", "inspection",
)
TEMPLATES = {"phyto": "phytosanitary.html", "vet": "veterinary.html"}
STYLES = ("base.css", "consignment.css")
DATA_FILE = "certificate.json"


def consignment_json(context: dict) -> bytes:
    """The certificate's data in the UN/CEFACT SPS vocabulary, as UTF-8 JSON (ISO dates).

    Raises TypeError for a value that is not plain and KeyError for a missing key.
    """
    check_plain(context, "consignment")
    require_keys(context, CONSIGNMENT_KEYS, "consignment")
    return to_json(sps_certificate(context, lot_totals(context["lots"])))


def _plain(value: Decimal) -> str:
    return f"{value.normalize():f}"


def lot_totals(lots: list[dict]) -> dict | None:
    """The total quantity declared and the packages of each kind (ISPM 12 boxes 3 and 8, the
    WOAH model's I.22 and I.23) of a context's lots, as the certificate prints them and its
    data (consignment_json) states them: weights as plain numbers in one unit, each kind of
    package with its code and names. None without a lot."""
    totals = declared_totals(LotQuantity(
        Decimal(lot["net_weight"]), Decimal(lot["gross_weight"]), lot["unit"],
        lot["packages_number"], lot["packages_kind"]) for lot in lots)
    if totals is None:
        return None
    names = {lot["packages_kind"]: lot["packages_name"] for lot in reversed(lots)}
    return {"net_weight": _plain(totals.net_weight), "gross_weight": _plain(totals.gross_weight),
            "unit": totals.unit, "packages": [{"kind": kind, "number": number,
                                               "name": names[kind]}
                                              for kind, number in totals.packages]}


def consignment_html(context: dict, *, development_seal: bool = False) -> str:
    """The HTML a consignment certificate is printed from; changes nothing."""
    check_plain(context, "consignment")
    require_keys(context, CONSIGNMENT_KEYS, "consignment")
    return render_html(TEMPLATES[context["kind"]], c=context, development_seal=development_seal,
                       qr=qr_data_uri(context["verification_url"]),
                       totals=lot_totals(context["lots"]))


def render_consignment_certificate(context: dict, *,
                                   development_seal: bool = False) -> RenderedPdf:
    """Render a phytosanitary or veterinary certificate (by ``context['kind']``), with
    consignment_json() embedded as the PDF/A-3 associated file ``certificate.json``;
    ``development_seal`` as for render_certificate.

    Raises as certtrack.pdf.render_certificate does.
    """
    html = consignment_html(context, development_seal=development_seal)
    attachment = PdfAttachment(
        name=DATA_FILE, content=consignment_json(context),
        description=f"SPS certificate data {context['number']}", relationship="Data",
        created=local_midnight(context["issued_on"]))
    from certtrack.pdf import engine  # WeasyPrint is imported on first use only

    return engine.write_pdf(html, STYLES, (attachment,))
