"""The renderer fetches nothing but data: URIs and our static/pdf files, and escapes all data."""

import io
import re
import socket
import subprocess

import pytest
from pypdf import PdfReader

from certtrack.demo.certificate import demo_certificate_context
from certtrack.demo.consignment import demo_phyto_context, demo_vet_context
from certtrack.pdf import PdfRenderError, engine, render_certificate
from certtrack.pdf.consignment import render_consignment_certificate
from certtrack.pdf.fetcher import ResourceRefused, StrictFetcher

HOSTILE = '<link rel=attachment href="file:///etc/passwd"><img src="http://127.0.0.1:9/x">'


@pytest.fixture
def recorded(monkeypatch):
    """Every URL WeasyPrint asks for, and every network connection attempted."""
    urls, connections = [], []
    fetch = StrictFetcher.fetch

    def recording_fetch(self, url, headers=None):
        urls.append(url)
        return fetch(self, url, headers)

    def refuse_connect(self, address):
        connections.append(address)
        raise OSError("network disabled in this test")

    monkeypatch.setattr(StrictFetcher, "fetch", recording_fetch)
    monkeypatch.setattr(socket.socket, "connect", refuse_connect)
    return urls, connections


def _allowed(url: str) -> bool:
    return url.startswith("data:") or url.startswith(engine.STATIC_PDF.as_uri() + "/")


def _squeeze(text: str) -> str:
    return "".join(text.split())


def test_hostile_enterprise_name_renders_as_text_and_fetches_nothing(recorded):
    urls, connections = recorded
    context = demo_certificate_context()
    context["enterprise"]["name"]["kk"] = HOSTILE
    context["establishment"]["address"]["en"] = HOSTILE

    reader = PdfReader(io.BytesIO(render_certificate(context).content))

    assert _squeeze(HOSTILE) in _squeeze(reader.pages[0].extract_text())
    assert list(reader.attachments) == ["certificate.json"]
    assert b"root:" not in b"".join(reader.attachments["certificate.json"])
    assert all(_allowed(url) for url in urls), urls
    assert connections == []


def test_markup_reaching_the_engine_is_refused_not_embedded(recorded):
    urls, connections = recorded
    html = f"<html><head>{HOSTILE}</head><body><p>x</p>{HOSTILE}</body></html>"
    with pytest.raises(PdfRenderError, match="refused"):
        engine.write_pdf(html, ("base.css",))
    assert any(url.startswith(("file:///etc/passwd", "http://127.0.0.1")) for url in urls)
    assert connections == []


@pytest.mark.parametrize("url", [
    "file:///etc/passwd",
    "http://127.0.0.1:9/x",
    "https://example.com/logo.png",
    "ftp://example.com/x",
    "file://otherhost/etc/passwd",
])
def test_fetcher_refuses_everything_outside_the_allow_list(url):
    fetcher = StrictFetcher(engine.STATIC_PDF)
    with pytest.raises(ResourceRefused):
        fetcher.fetch(url)
    assert fetcher.refused == [url]


def test_fetcher_refuses_traversal_and_symlinks_out_of_its_folder(tmp_path):
    root = tmp_path / "static" / "pdf"
    root.mkdir(parents=True)
    (tmp_path / "secret.txt").write_text("secret")
    (root / "link.css").symlink_to(tmp_path / "secret.txt")
    fetcher = StrictFetcher(root)
    for url in (root.as_uri() + "/../../secret.txt", root.as_uri() + "/%2e%2e/../secret.txt",
                (root / "link.css").as_uri(), (root / "missing.css").as_uri()):
        with pytest.raises(ResourceRefused):
            fetcher.fetch(url)


def test_fetcher_serves_data_uris_and_our_stylesheets():
    fetcher = StrictFetcher(engine.STATIC_PDF)
    assert fetcher.fetch("data:text/plain,hello").read() == b"hello"
    css = fetcher.fetch((engine.STATIC_PDF / "base.css").as_uri())
    assert b"DejaVu Sans" in css.read()
    assert css.content_type == "text/css"


def test_missing_stylesheet_is_an_error_not_an_unstyled_pdf(monkeypatch, tmp_path):
    monkeypatch.setattr(engine, "STATIC_PDF", tmp_path)
    engine.stylesheet.cache_clear()
    try:
        with pytest.raises(FileNotFoundError):
            render_certificate(demo_certificate_context())
    finally:
        engine.stylesheet.cache_clear()


def test_a_font_we_did_not_choose_stops_the_render(monkeypatch):
    monkeypatch.setattr(engine, "FONT_FAMILIES", frozenset({"Some Other Font"}))
    with pytest.raises(PdfRenderError, match="fonts outside"):
        engine.write_pdf("<p>Жетісу</p>", ("base.css",))


def test_a_word_typed_without_spaces_stays_inside_the_page(tmp_path):
    """A place of origin and marks of 300 characters without a space break inside their boxes
    (they ran past the page's edge): every word pdftotext finds ends within the page."""
    context = demo_phyto_context()
    context["origin"]["place"] = "Kokshetau" * 33
    context["lots"][0]["marks"] = "95123451" * 38
    path = tmp_path / "certificate.pdf"
    path.write_bytes(render_consignment_certificate(context).content)
    boxes = subprocess.run(["pdftotext", "-bbox", str(path), "-"], check=True,
                           capture_output=True, text=True).stdout
    pages = [float(w) for w in re.findall(r'<page width="([\d.]+)"', boxes)]
    right_edges = [float(x) for x in re.findall(r'<word xMin="[\d.]+" yMin="[\d.]+" '
                                                 r'xMax="([\d.]+)"', boxes)]
    assert pages and right_edges
    assert max(right_edges) < min(pages) - 20  # inside the page's margin
    assert "Kokshetau" in boxes and "95123451" in boxes


def test_every_page_of_a_long_consignment_certificate_names_it():
    """Eighteen wagons' lots run onto a second page: its footer names the certificate, so a
    page parted from the first is still tied to it."""
    context = demo_phyto_context()
    context["lots"] = [dict(context["lots"][0], marks=f"wagon {95000000 + n}, seal {n:06}")
                       for n in range(18)]
    pages = PdfReader(io.BytesIO(render_consignment_certificate(context).content)).pages
    assert len(pages) >= 2
    for page in pages:
        assert f"certtrack · {context['number']} · " in page.extract_text()


def _typed_in_chinese(value, key: str = ""):
    """Every text of a certificate's context that a person may type, with Chinese appended
    (numbers, dates, codes and addresses of the app left as they are)."""
    if isinstance(value, dict):
        return {k: _typed_in_chinese(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_typed_in_chinese(item, key) for item in value]
    if isinstance(value, str) and key not in UNTYPED and not re.fullmatch(r"[\d.-]+", value):
        return value + " 封识"
    return value


UNTYPED = {"kind", "number", "issued_on", "verification_url", "reference", "replaces",
           "hs_code", "code", "unit", "bin", "country_code"}


@pytest.mark.parametrize(("demo_context", "render"), [
    (demo_phyto_context, render_consignment_certificate),
    (demo_vet_context, render_consignment_certificate),
    (demo_certificate_context, render_certificate)])
def test_chinese_typed_into_any_field_is_printed_not_refused(demo_context, render):
    """The exporter's marks were set in a font without Chinese: "车皮 12345678" stopped the
    certificate's PDF for good (a font the renderer had not chosen), while the number stood
    issued. Every typed field takes Chinese, and prints it."""
    context = _typed_in_chinese(demo_context())
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(
        render(context).content)).pages)
    assert "封识" in text
