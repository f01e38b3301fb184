"""WeasyPrint behind one function: shared fonts, cached stylesheets, strict fetching, PDF/A-3b."""

from __future__ import annotations

import gc
import hashlib
import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

from weasyprint import CSS, HTML, Attachment
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import FatalURLFetchingError

from certtrack.pdf.compact import compact_cid_fonts
from certtrack.pdf.fetcher import StrictFetcher
from certtrack.pdf.rendered import PdfAttachment, PdfRenderError, RenderedPdf

STATIC_PDF = Path(__file__).resolve().parent.parent / "static" / "pdf"
PDF_VARIANT = "pdf/a-3b"
# The families the stylesheets name (base.css). Pango reaches them through fontconfig by family
# name: an @font-face local() rule would make WeasyPrint fetch the file through the URL fetcher
# (widening its allow-list to system font folders) and, for the Noto CJK .ttc collection, copy
# all 19 MB and use its first face, the Japanese one.
FONT_FAMILIES = frozenset({"DejaVu Sans", "DejaVu Sans Mono", "Noto Sans CJK SC"})
FONT_PACKAGES = "fonts-dejavu-core and fonts-noto-cjk"
# The shared FontConfiguration holds one Pango font map and plain dict caches; neither is
# thread-safe, so renders in one process (threaded servers, the dev server) take turns.
_RENDER_LOCK = threading.Lock()


@cache
def font_config() -> FontConfiguration:
    """The process-wide FontConfiguration: fontconfig is loaded once per worker, not per PDF."""
    return FontConfiguration()


@cache
def stylesheet(name: str) -> CSS:
    """Parse ``static/pdf/<name>`` once per process.

    Raises FileNotFoundError when the file is missing: a document is never printed unstyled.
    """
    path = STATIC_PDF / name
    text = path.read_text(encoding="utf-8")
    return CSS(string=text, base_url=STATIC_PDF.as_uri() + "/",
               url_fetcher=StrictFetcher(STATIC_PDF), font_config=font_config())


def write_pdf(html: str, stylesheets: tuple[str, ...],
              attachments: tuple[PdfAttachment, ...] = ()) -> RenderedPdf:
    """Render ``html`` (already escaped) with our stylesheets into a PDF/A-3b document.

    Only data: URIs and files under static/pdf/ can be fetched. Raises PdfRenderError when a
    resource is refused or missing, or when a font outside FONT_FAMILIES had to be used;
    FileNotFoundError when a stylesheet is missing.
    """
    fetcher = StrictFetcher(STATIC_PDF)
    try:
        with _RENDER_LOCK, _collector_paused():
            content, pages, families = _render(html, stylesheets, attachments, fetcher)
    except FatalURLFetchingError as error:
        raise PdfRenderError(f"resource refused or missing: {fetcher.refused or error}") from error
    _check_fonts(families)
    return RenderedPdf(content, hashlib.sha256(content).hexdigest(), pages)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector paused while WeasyPrint builds and draws a document.

    A render allocates hundreds of thousands of objects that live until it ends; each of the
    collector's passes over them finds nothing to free and costs a fifth of a dossier's time.
    Once the document is gone (`_render` returns plain values), one pass over the youngest
    generation frees its cycles at once, so the worker's memory is back where it was. The pause
    is process-wide: in a threaded server, other threads' cycles wait for the render's end."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
            gc.collect(0)


def _render(html: str, stylesheets: tuple[str, ...], attachments: tuple[PdfAttachment, ...],
            fetcher: StrictFetcher) -> tuple[bytes, int, set[str]]:
    """The PDF's bytes, its number of pages and the font families it uses."""
    options = {
        "stylesheets": [stylesheet(name) for name in stylesheets],
        "pdf_variant": PDF_VARIANT,
        # Tagged (structure tree, reading order, table headers) for screen readers; PDF/A-3b
        # allows the tags, and WeasyPrint writes them when asked (its 'a' variants force them).
        "pdf_tags": True,
        "attachments": [_weasy_attachment(item) for item in attachments],
    }
    document = HTML(string=html, base_url=STATIC_PDF.as_uri() + "/",
                    url_fetcher=fetcher).render(font_config=font_config(), **options)
    content = _write(document, options)
    return content, len(document.pages), {font.family for font in document.fonts.values()}


def _write(document, options: dict) -> bytes:
    with warnings.catch_warnings():
        # WeasyPrint 70 opens its sRGB profile for the PDF/A output intent and never closes
        # it; nothing of ours leaks, so that one ResourceWarning is silenced.
        warnings.filterwarnings("ignore", r"unclosed file .*sRGB2014\.icc", ResourceWarning)
        return document.write_pdf(finisher=compact_cid_fonts, **options)


def _weasy_attachment(item: PdfAttachment) -> Attachment:
    return Attachment(string=item.content, name=item.name, description=item.description,
                      relationship=item.relationship, created=item.created,
                      modified=item.created)


def _check_fonts(used: set[str]) -> None:
    """Refuse a document set in a font we did not choose (a missing font or an odd character)."""
    unexpected = used - FONT_FAMILIES
    if unexpected:
        raise PdfRenderError(
            f"fonts outside {sorted(FONT_FAMILIES)} were used: {sorted(unexpected)}; "
            f"install {FONT_PACKAGES}, or the text holds characters these fonts lack")
