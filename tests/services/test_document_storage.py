"""Document storage rules: type by content, content-addressed paths, versions, scope."""

import io
from pathlib import Path

import pytest
from sqlalchemy import func, select

from certtrack.extensions import db
from certtrack.models import Document
from certtrack.services import documents, storage
from certtrack.services.errors import NotFound, ValidationFailed

from factories import PDF_BYTES, make_exporter_with_application


@pytest.mark.parametrize(("head", "kind"), [
    (b"%PDF-1.7\n", "application/pdf"),
    (b"\xff\xd8\xff\xe0\x00\x10JFIF", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n\x00\x00", "image/png"),
    (b"<html>", None),
    (b"GIF89a", None),
    (b" %PDF-1.7", None),
    (b"", None),
])
def test_type_is_decided_by_the_first_bytes(head, kind):
    assert documents.sniff_content_type(head) == kind


@pytest.mark.parametrize("name", ["../../etc/passwd", "ab", "A" * 64, "g" * 64, ""])
def test_storage_keys_are_made_only_of_a_sha256(ctx, name):
    with pytest.raises(ValueError):
        storage.object_key(name)


@pytest.mark.parametrize(("given", "shown"), [
    ("plan.pdf", "plan.pdf"),
    ("../../secret/plan.pdf", "plan.pdf"),
    ("C:\\scans\\plan.pdf", "plan.pdf"),
    ("Свидетельство.pdf", "Свидетельство.pdf"),
    ("营业执照.pdf", "营业执照.pdf"),
    ("bad\x00name\n.pdf", "badname.pdf"),
    ("", "document"),
])
def test_display_name_keeps_the_name_without_folders(given, shown):
    assert documents.display_name(given) == shown


def _count() -> int:
    return db.session.scalar(select(func.count()).select_from(Document))


def test_versions_count_per_document_type(ctx):
    user, _e, _s, application = make_exporter_with_application(complete=False)
    first = documents.upload_document(user, application, "haccp", io.BytesIO(PDF_BYTES), "a.pdf")
    other = documents.upload_document(user, application, "traceability",
                                      io.BytesIO(PDF_BYTES), "t.pdf")
    second = documents.upload_document(user, application, "haccp",
                                       io.BytesIO(PDF_BYTES + b"%2"), "b.pdf")
    assert (first.version, other.version, second.version) == (1, 1, 2)
    with documents.document_file(first) as stored:
        assert stored.read() == PDF_BYTES


def test_unknown_document_type_is_refused_before_storing(ctx):
    user, _e, _s, application = make_exporter_with_application(complete=False)
    with pytest.raises(ValidationFailed) as refused:
        documents.upload_document(user, application, "passport_scan", io.BytesIO(PDF_BYTES),
                                  "p.pdf")
    assert list(refused.value.errors) == ["document_type"]
    assert _count() == 0
    folder = Path(ctx.config["UPLOAD_FOLDER"])
    assert not folder.exists() or not any(p.is_file() for p in folder.rglob("*"))


def test_refused_file_leaves_no_temporary_file(ctx):
    user, _e, _s, application = make_exporter_with_application(complete=False)
    with pytest.raises(ValidationFailed):
        documents.upload_document(user, application, "haccp", io.BytesIO(b"<html></html>"),
                                  "x.pdf")
    folder = Path(ctx.config["UPLOAD_FOLDER"])
    assert [p for p in folder.rglob("*") if p.is_file()] == []


def test_another_exporter_can_neither_upload_nor_read(ctx):
    owner, _e, _s, application = make_exporter_with_application("940140000385",
                                                                complete=False)
    other, _e2, _s2, _a2 = make_exporter_with_application("961141000023", complete=False)
    document = documents.upload_document(owner, application, "haccp", io.BytesIO(PDF_BYTES),
                                         "a.pdf")
    with pytest.raises(NotFound):
        documents.upload_document(other, application, "haccp", io.BytesIO(PDF_BYTES), "b.pdf")
    with pytest.raises(NotFound):
        documents.get_document(other, document.id)
    assert _count() == 1


def test_missing_file_is_reported_as_not_found(ctx):
    user, _e, _s, application = make_exporter_with_application(complete=False)
    document = documents.upload_document(user, application, "haccp", io.BytesIO(PDF_BYTES),
                                         "a.pdf")
    storage.backend().delete(storage.object_key(document.sha256))
    with pytest.raises(NotFound):
        documents.document_file(document)
