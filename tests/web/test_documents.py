"""Uploading supporting documents and downloading them back, as exporters and inspectors."""

import hashlib
import html
import io
import re
from pathlib import Path
from urllib.parse import quote

import pytest
from flask import g
from PIL import Image
from sqlalchemy import select, update

from certtrack.extensions import db
from certtrack.models import Document
from certtrack.services import applications

from factories import PDF_BYTES, make_exporter_with_application, make_user
from forms import csrf_token, flashes, login, post

NOT_ACCEPTED = "Only PDF, JPEG or PNG files are accepted, and this file is none of them."
CYRILLIC_NAME = "Свидетельство.pdf"


def field_error(page: str, field: str) -> str:
    """The error text shown beside a field (empty when there is none)."""
    match = re.search(rf'<p class="error" id="{field}-error">(.*?)</p>', page, re.S)
    return html.unescape(match.group(1)).strip() if match else ""


def image_bytes(kind: str) -> bytes:
    """A small real image made with Pillow."""
    buffer = io.BytesIO()
    Image.new("RGB", (16, 12), (200, 30, 30)).save(buffer, kind)
    return buffer.getvalue()


def _pdf(marker: str) -> bytes:
    return PDF_BYTES + f"% {marker}\n".encode()


def _upload(client, application, content: bytes, filename: str, document_type="haccp"):
    return post(client, f"/exporter/applications/{application.id}/documents",
                {"document_type": document_type, "file": (io.BytesIO(content), filename)})


def _documents(application) -> list[Document]:
    return list(db.session.scalars(select(Document).where(
        Document.application_id == application.id).order_by(Document.id)))


def _stored_files(app) -> list[Path]:
    folder = Path(app.config["UPLOAD_FOLDER"])
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


@pytest.fixture
def draft(ctx, client):
    """A signed-in exporter's draft application without documents."""
    user, _e, _s, application = make_exporter_with_application(complete=False)
    login(client, user.email)
    return application


def test_pdf_is_stored_under_its_sha256(ctx, client, draft):
    content = _pdf("haccp plan")
    response = _upload(client, draft, content, "plan.pdf")
    assert response.status_code == 302
    sha256 = hashlib.sha256(content).hexdigest()
    path = Path(ctx.config["UPLOAD_FOLDER"]) / sha256[:2] / sha256
    assert path.read_bytes() == content
    [document] = _documents(draft)
    assert (document.sha256, document.size, document.content_type, document.version,
            document.original_name, document.document_type_code) == (
        sha256, len(content), "application/pdf", 1, "plan.pdf", "haccp")
    assert _stored_files(ctx) == [path]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "“plan.pdf” was uploaded." in page
    assert f'href="/documents/{document.id}"' in page


def test_a_files_size_reads_in_the_readers_digits(ctx, client, draft):
    content = _pdf("haccp plan") + b"%" * 1500  # about 1.6 KB
    location = _upload(client, draft, content, "plan.pdf").headers["Location"]
    shown = f"{len(content) / 1024:.1f}"
    assert f"{shown} KB" in client.get(location).get_data(as_text=True)
    assert post(client, "/language", {"locale": "kk"}).status_code == 302
    g.pop("_flask_babel", None)  # the test's application context outlives the requests
    kazakh = client.get(location).get_data(as_text=True)
    assert f"{shown.replace('.', ',')} КБ" in kazakh and f"{shown} KB" not in kazakh


@pytest.mark.parametrize(("kind", "content_type"), [("PNG", "image/png"),
                                                    ("JPEG", "image/jpeg")])
def test_real_images_are_accepted(ctx, client, draft, kind, content_type):
    content = image_bytes(kind)
    response = _upload(client, draft, content, f"floor plan.{kind.lower()}", "floor_plans")
    assert response.status_code == 302
    [document] = _documents(draft)
    assert document.content_type == content_type
    assert document.sha256 == hashlib.sha256(content).hexdigest()


@pytest.mark.parametrize(("content", "filename"), [
    (b"<!doctype html><html><script>alert(1)</script></html>", "certificate.pdf"),
    (b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>", "plan.png"),
    (b"PK\x03\x04" + b"\0" * 64, "documents.pdf"),
    (b"\x89PNG\r\n\x1a\n" + b"this is not an image at all" * 20, "photo.png"),
    (b"\xff\xd8\xff\xe0" + b"garbage" * 40, "photo.jpg"),
])
def test_file_that_is_not_pdf_jpeg_or_png_is_refused(ctx, client, draft, content, filename):
    response = _upload(client, draft, content, filename)
    assert response.status_code == 422
    assert field_error(response.get_data(as_text=True), "file") == NOT_ACCEPTED
    assert _documents(draft) == []
    assert _stored_files(ctx) == []


def test_an_empty_file_is_called_empty(ctx, client, draft):
    """A 0-byte file read "this file is none of them" (PDF, JPEG or PNG)."""
    response = _upload(client, draft, b"", "empty.pdf")
    assert response.status_code == 422
    assert field_error(response.get_data(as_text=True), "file") == (
        "This file is empty (0 bytes): choose the file again, or save it again and upload "
        "that.")
    assert _documents(draft) == [] and _stored_files(ctx) == []


def test_upload_without_a_file_is_refused(ctx, client, draft):
    response = post(client, f"/exporter/applications/{draft.id}/documents",
                    {"document_type": "haccp"})
    assert response.status_code == 422
    assert field_error(response.get_data(as_text=True), "file") == "Choose a file to upload."
    assert _documents(draft) == []


def _multipart(fields: dict[str, str], content: bytes, filename: str) -> tuple[bytes, str]:
    """A multipart body as a browser sends it (built here: for bodies over 500 KB the test
    client spools to a temporary file that it never closes)."""
    boundary = "----certtrack-test-boundary"
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
             for name, value in fields.items()]
    head = "".join(parts) + (f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
                             f'filename="{filename}"\r\nContent-Type: application/pdf\r\n\r\n')
    body = head.encode() + content + f"\r\n--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


def test_oversized_file_gets_a_readable_413_page(ctx, client, draft):
    content = PDF_BYTES + b"0" * (3 * 1024 * 1024)
    body, content_type = _multipart({"csrf_token": csrf_token(client, "/exporter/"),
                                     "document_type": "haccp"}, content, "scan.pdf")
    form_page = f"http://localhost/exporter/applications/{draft.id}?tab=documents"
    response = client.post(f"/exporter/applications/{draft.id}/documents", data=body,
                           content_type=content_type, headers={"Referer": form_page})
    page = response.get_data(as_text=True)
    assert response.status_code == 413
    assert "The file is too large" in page
    assert "Files of at most 2 MB are accepted." in page
    assert "Traceback" not in page
    # Still signed in, as the page says, with the way back to the form.
    assert 'class="topbar signed-in"' in page and "Sign out" in page
    assert f'<a class="btn" href="/exporter/applications/{draft.id}?tab=documents">Back to ' \
           'the form</a>' in page
    assert _documents(draft) == []
    assert _stored_files(ctx) == []


def test_file_just_under_the_limit_is_accepted(ctx, client, draft):
    content = PDF_BYTES + b"0" * (1024 * 1024)
    body, content_type = _multipart({"csrf_token": csrf_token(client, "/exporter/"),
                                     "document_type": "haccp"}, content, "scan.pdf")
    response = client.post(f"/exporter/applications/{draft.id}/documents", data=body,
                           content_type=content_type)
    assert response.status_code == 302
    [document] = _documents(draft)
    assert document.size == len(content)


def test_cyrillic_name_survives_upload_and_download(ctx, client, draft):
    content = _pdf("state registration")
    assert _upload(client, draft, content, CYRILLIC_NAME, "state_registration").status_code == 302
    [document] = _documents(draft)
    assert document.original_name == CYRILLIC_NAME
    assert CYRILLIC_NAME in client.get(f"/exporter/applications/{draft.id}").get_data(
        as_text=True)
    response = download(client, document.id)
    assert response.status_code == 200
    assert response.data == content
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment")
    assert "filename*=UTF-8''" + quote(CYRILLIC_NAME) in disposition
    assert "filename*=UTF-8''%D0%A1%D0%B2%D0%B8" in disposition
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.mimetype == "application/pdf"


def test_folder_part_of_the_name_is_dropped(ctx, client, draft):
    _upload(client, draft, _pdf("path"), "../../instance/haccp.pdf")
    [document] = _documents(draft)
    assert document.original_name == "haccp.pdf"


def test_second_upload_becomes_version_two_and_keeps_version_one(ctx, client, draft):
    first, second = _pdf("first"), _pdf("second")
    _upload(client, draft, first, "haccp-2025.pdf")
    _upload(client, draft, second, "haccp-2026.pdf")
    old, new = _documents(draft)
    assert (old.version, new.version) == (1, 2)
    assert download(client, old.id).data == first
    assert download(client, new.id).data == second
    page = client.get(f"/exporter/applications/{draft.id}").get_data(as_text=True)
    assert "haccp-2025.pdf" in page and "haccp-2026.pdf" in page
    assert "(superseded)" in page


def test_same_bytes_are_stored_once(ctx, client, draft):
    content = _pdf("shared")
    _upload(client, draft, content, "a.pdf", "haccp")
    second = _upload(client, draft, content, "b.pdf", "traceability")
    assert len(_documents(draft)) == 2
    assert len(_stored_files(ctx)) == 1
    # kept, and said: one PDF went in as every required document without a word; said at the
    # top of the page, where the browser stays (it jumped to the documents, below the warning)
    assert second.location == f"/exporter/applications/{draft.id}"
    said = flashes(client.get(second.location).get_data(as_text=True))
    assert "“b.pdf” was uploaded. It is the very file uploaded as “HACCP plan or certificate”: " \
        "check that you chose the right file." in [html.unescape(m) for m in said]
    third = _upload(client, draft, _pdf("another"), "c.pdf", "floor_plans")
    assert third.location == f"/exporter/applications/{draft.id}#documents"
    assert flashes(client.get(third.location).get_data(as_text=True)) == ["“c.pdf” was uploaded."]


def test_no_upload_once_submitted(ctx, client):
    user, _e, _s, application = make_exporter_with_application(complete=True)
    applications.submit_application(user, application)
    login(client, user.email)
    before = len(_documents(application))
    response = _upload(client, application, _pdf("late"), "late.pdf")
    # the state refuses it, as any step a stale page offers: said on the page (not a 403)
    assert response.status_code == 302
    page = client.get(response.location).get_data(as_text=True)
    assert "This action is no longer possible; the page shows the current state." in page
    assert len(_documents(application)) == before


@pytest.fixture
def submitted_document(ctx):
    """A document of a submitted Akmola (KZ-11) wheat application, phytosanitary committee."""
    user, _e, _s, application = make_exporter_with_application(complete=True)
    applications.submit_application(user, application)
    document = _documents(application)[0]
    return document, document_bytes(ctx, document)


def download(client, document_id: int):
    """GET a document and read the whole body; the file the response streams is closed."""
    with client.get(f"/documents/{document_id}") as response:
        response.get_data()
    return response


def document_bytes(app, document) -> bytes:
    return (Path(app.config["UPLOAD_FOLDER"]) / document.sha256[:2] / document.sha256).read_bytes()


def test_inspector_of_the_committee_and_region_downloads(ctx, client, submitted_document):
    document, content = submitted_document
    inspector = make_user("inspector", committee="phytosanitary", regions=["KZ-11"])
    login(client, inspector.email)
    response = download(client, document.id)
    assert response.status_code == 200
    assert response.data == content
    assert response.headers["Content-Disposition"].startswith("attachment")


@pytest.mark.parametrize(("committee", "regions"), [
    ("phytosanitary", ["KZ-15"]),  # another region
    ("veterinary", ["KZ-11"]),     # another committee
])
def test_inspector_outside_scope_gets_404(ctx, client, submitted_document, committee, regions):
    document, _content = submitted_document
    inspector = make_user("inspector", committee=committee, regions=regions)
    login(client, inspector.email)
    response = download(client, document.id)
    assert response.status_code == 404
    assert response.data != _content


def test_other_exporter_gets_404(ctx, client, submitted_document):
    document, _content = submitted_document
    other, _e, _s, _a = make_exporter_with_application("961141000023", complete=False)
    login(client, other.email)
    response = download(client, document.id)
    # The same answer as for a document that does not exist, about the document asked for.
    assert response.status_code == 404
    assert "No such document." in response.get_data(as_text=True)
    assert "No such application." not in response.get_data(as_text=True)
    assert download(client, 999999).status_code == 404


def test_anonymous_download_goes_to_sign_in(ctx, client, submitted_document):
    document, _content = submitted_document
    response = download(client, document.id)
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_optional_document_types_are_marked_as_each_language_writes_it(ctx, client, draft):
    """Chinese puts its full-width brackets right after the name: "材料 （可选）" had a gap."""
    assert post(client, "/language", {"locale": "zh"}).status_code == 302
    g.pop("_flask_babel", None)
    page = client.get(f"/exporter/applications/{draft.id}").get_data(as_text=True)
    options = re.findall(r'<option value="\w+"[^>]*>([^<]*（可选）)</option>', page)
    assert options and all(not text.endswith(" （可选）") for text in options)


def _chosen_type(page: str) -> str:
    """The document type the upload form has chosen (the first offered when none is marked)."""
    chooser = re.search(r'<select[^>]*id="document_type"[^>]*>(.*?)</select>', page, re.S).group(1)
    options = re.findall(r'<option([^>]*)value="([^"]*)"([^>]*)>', chooser)
    marked = [value for before, value, after in options if "selected" in before + after]
    return marked[0] if marked else options[0][1]


def test_after_an_upload_the_chooser_offers_the_next_document_still_to_upload(ctx, client,
                                                                             draft):
    """After each upload the chooser went back to the first type of the list, one already
    uploaded: the exporter had to find the next one in a list of twenty each time."""
    url = f"/exporter/applications/{draft.id}"
    required = {t.code for t in applications.required_document_types(draft)}
    uploaded = []
    for number in range(3):
        chosen = _chosen_type(client.get(url).get_data(as_text=True))
        assert chosen in required and chosen not in uploaded
        assert _upload(client, draft, _pdf(f"file {number}"), f"{chosen}.pdf",
                       chosen).status_code == 302
        uploaded.append(chosen)
    db.session.execute(update(Document).where(Document.document_type_code == uploaded[1])
                       .values(review_status="rejected"))
    db.session.commit()
    assert _chosen_type(client.get(url).get_data(as_text=True)) == uploaded[1]
