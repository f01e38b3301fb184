"""Printed documents: certificates of export eligibility and recommendation dossiers.

The one PDF entry point of certtrack and the only importer of WeasyPrint (imported on the first
render, not with this package). A caller (a service) builds a context of plain values from the
database: str, int, float, bool, None, date and datetime inside dicts and lists, never an ORM
object or Markup; the shapes are the TypedDicts of ``certtrack.pdf.contexts``
(CertificateContext, DossierContext). Templates are in templates/pdf/ (autoescaped); the renderer
fetches nothing but data: URIs and files in certtrack/static/pdf/.

    render_certificate(context, *, draft=False) -> RenderedPdf(content, sha256, pages)
    render_dossier(context) -> RenderedPdf
    certificate_json(context) -> bytes   # the JSON embedded in an issued certificate
    certificate_html(context) / dossier_html(context) -> str   # the HTML they are printed from
    render_consignment_certificate(context) -> RenderedPdf  # phytosanitary or veterinary
    consignment_json(context) -> bytes   # its data in the UN/CEFACT SPS vocabulary

The renderers of issued documents take ``development_seal=True`` to print the development
seal's name across every page. ``certtrack.pdf.seal`` seals a rendered PDF (PAdES, pyHanko)
and checks a PDF's seal; ``certtrack.pdf.seal_keys`` loads the key (PKCS#12, PKCS#11) and makes
the development seal; ``certtrack.pdf.compact`` cuts the embedded CJK font to the glyphs used.
"""

from certtrack.pdf.consignment import (
    consignment_html,
    consignment_json,
    render_consignment_certificate,
)
from certtrack.pdf.contexts import CertificateContext, DossierContext
from certtrack.pdf.render import (
    certificate_html,
    certificate_json,
    dossier_html,
    render_certificate,
    render_dossier,
)
from certtrack.pdf.rendered import PdfRenderError, RenderedPdf

__all__ = [
    "CertificateContext", "DossierContext", "PdfRenderError", "RenderedPdf", "certificate_html",
    "certificate_json", "consignment_html", "consignment_json", "dossier_html",
    "render_certificate", "render_consignment_certificate", "render_dossier",
]
