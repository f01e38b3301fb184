"""The PDF entry points: a certificate of export eligibility and a recommendation dossier."""

from __future__ import annotations

import segno

from certtrack.pdf.contexts import check_plain, require_keys, to_json
from certtrack.pdf.rendered import PdfAttachment, RenderedPdf
from certtrack.pdf.templating import local_midnight, render_html

CERTIFICATE_KEYS = (
    "number", "verification_url", "issued_on", "valid_from", "valid_to", "enterprise",
    "establishment", "region", "products", "china_registration_number", "authority", "officer",
)
DOSSIER_KEYS = (
    "reference", "date", "authority", "addressee", "subject", "letter", "signatory", "enterprises",
)
CERTIFICATE_STYLES = ("base.css", "certificate.css")
DOSSIER_STYLES = ("base.css", "dossier.css")
CERTIFICATE_JSON = "certificate.json"


def certificate_json(context: dict) -> bytes:
    """The certificate data embedded in the PDF: the context as JSON, sorted keys, UTF-8.

    Dates become ISO strings. Raises TypeError for a value that is not plain.
    """
    check_plain(context, "certificate")
    return to_json(context)


def qr_data_uri(url: str) -> str:
    """An SVG QR code (error correction M) for ``url``, as a data: URI for an <img>."""
    return segno.make(url, error="m", micro=False).svg_data_uri(border=4, xmldecl=False)


def certificate_html(context: dict, *, draft: bool = False, development_seal: bool = False) -> str:
    """The HTML a certificate is printed from, with CERTIFICATE_STYLES (the benchmark renders
    it outside our pipeline too). Changes nothing; raises TypeError, KeyError and
    jinja2.UndefinedError as render_certificate does.
    """
    check_plain(context, "certificate")
    require_keys(context, CERTIFICATE_KEYS, "certificate")
    return render_html("certificate.html", c=context, draft=draft,
                       development_seal=development_seal,
                       qr=qr_data_uri(context["verification_url"]))


def dossier_html(context: dict, *, development_seal: bool = False) -> str:
    """The HTML a dossier is printed from, with DOSSIER_STYLES. Raises as certificate_html."""
    check_plain(context, "dossier")
    require_keys(context, DOSSIER_KEYS, "dossier")
    return render_html("dossier.html", d=context, development_seal=development_seal)


def render_certificate(context: dict, *, draft: bool = False,
                       development_seal: bool = False) -> RenderedPdf:
    """Render a certificate of export eligibility (keys: contexts.CertificateContext).

    The QR code carries ``verification_url``. The issued certificate embeds certificate_json()
    as the PDF/A-3 associated file ``certificate.json``; a ``draft`` preview is watermarked
    DRAFT and carries no data file, so that a preview can never pass for issued data.
    ``development_seal`` marks every page as sealed with the development seal, not valid for
    export (the seal itself is applied by certtrack.pdf.seal). Changes nothing. Raises
    TypeError (a value is not plain), KeyError (a key is missing), jinja2.UndefinedError (a
    nested key is missing), PdfRenderError and FileNotFoundError (see engine.write_pdf).
    """
    html = certificate_html(context, draft=draft, development_seal=development_seal)
    attachments = () if draft else (_certificate_attachment(context),)
    from certtrack.pdf import engine  # WeasyPrint is imported on first use only

    return engine.write_pdf(html, CERTIFICATE_STYLES, attachments)


def render_dossier(context: dict, *, development_seal: bool = False) -> RenderedPdf:
    """Render a recommendation dossier (keys: contexts.DossierContext).

    Letter, contents with page numbers, list of enterprises and one section per enterprise;
    ``development_seal`` as for render_certificate. Changes nothing; raises as
    render_certificate does.
    """
    html = dossier_html(context, development_seal=development_seal)
    from certtrack.pdf import engine  # WeasyPrint is imported on first use only

    return engine.write_pdf(html, DOSSIER_STYLES)


def _certificate_attachment(context: dict) -> PdfAttachment:
    issued = local_midnight(context["issued_on"])
    return PdfAttachment(
        name=CERTIFICATE_JSON,
        content=to_json(context),
        description=f"Certificate data {context['number']}",
        relationship="Data",
        created=issued,
    )
