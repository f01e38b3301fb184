"""The storage every server sees, a folder and S3 alike (each test runs on both): objects named
by their SHA-256, checked on the way in and again on the way out; a tampered object is
refused, never returned."""

import hashlib
import io
from pathlib import Path

import pytest
from sqlalchemy import func, select

from certtrack import create_app
from certtrack.extensions import db
from certtrack.models import Certificate, Document, StoredPdf
from certtrack.services import documents, issued_files, storage
from certtrack.services.errors import ValidationFailed

from factories import PDF_BYTES, make_certificate, make_exporter_with_application

# Larger than what a read from object storage keeps in memory: the rest goes through a file.
LARGE = PDF_BYTES + b"%" + b"x" * (storage.SPOOL_IN_MEMORY * 3)


def stored_objects(kind: str, app) -> dict[str, bytes]:
    """Every object really stored, by key, read behind the storage's back."""
    store = storage.backend()
    if kind == "folder":
        root = Path(app.config["UPLOAD_FOLDER"])
        files = root.rglob("*") if root.exists() else []
        return {p.relative_to(root).as_posix(): p.read_bytes() for p in files if p.is_file()}
    listing = store.client.list_objects_v2(Bucket=store.bucket).get("Contents", [])
    return {item["Key"].removeprefix(store.prefix):
            store.client.get_object(Bucket=store.bucket, Key=item["Key"])["Body"].read()
            for item in listing}


def tamper(kind: str, sha256: str, data: bytes) -> None:
    """Replace the bytes stored under `sha256` with `data`, as a disk fault or an intruder
    would, behind the storage's back."""
    store, key = storage.backend(), storage.object_key(sha256)
    if kind == "folder":
        store.path(key).write_bytes(data)
    else:
        store.client.put_object(Bucket=store.bucket, Key=store.name(key), Body=data)


def test_bytes_are_kept_under_their_sha256_and_read_back_the_same(ctx, storage_backend):
    sha256 = hashlib.sha256(LARGE).hexdigest()
    assert storage.keep_bytes(LARGE, sha256) == f"{sha256[:2]}/{sha256}"
    assert stored_objects(storage_backend, ctx) == {f"{sha256[:2]}/{sha256}": LARGE}
    with storage.open_verified(sha256) as stored:
        assert stored.read() == LARGE
    if storage_backend == "s3":
        assert storage.backend().prefix == "objects/"


def test_bytes_that_do_not_match_the_sha256_given_are_not_kept(ctx, storage_backend):
    with pytest.raises(ValueError, match="do not match"):
        storage.keep_bytes(b"%PDF-1.7 one", hashlib.sha256(b"%PDF-1.7 two").hexdigest())
    assert stored_objects(storage_backend, ctx) == {}


@pytest.mark.parametrize("changed", [b"%PDF-1.7 forged", LARGE[:-1] + b"y", b""])
def test_a_tampered_object_is_refused_and_never_returned(ctx, storage_backend, changed):
    sha256 = hashlib.sha256(LARGE).hexdigest()
    storage.keep_bytes(LARGE)
    tamper(storage_backend, sha256, changed)
    with pytest.raises(storage.StoredFileCorrupted) as refused:
        storage.open_verified(sha256)
    assert refused.value.status == 500
    assert "does not match the SHA-256" in refused.value.message


def test_a_missing_object_is_not_found(ctx, storage_backend):
    with pytest.raises(storage.StoredFileMissing) as missing:
        storage.read_verified(hashlib.sha256(b"never stored").hexdigest())
    assert missing.value.status == 404


def test_an_upload_is_kept_in_the_storage_and_nowhere_else(ctx, storage_backend):
    user, _e, _s, application = make_exporter_with_application(complete=False)
    document = documents.upload_document(user, application, "haccp", io.BytesIO(LARGE),
                                         "plan.pdf")
    key = storage.object_key(document.sha256)
    assert stored_objects(storage_backend, ctx) == {key: LARGE}
    with documents.document_file(document) as stored:
        assert stored.read() == LARGE
    if storage_backend == "s3":  # not even a temporary copy on this server's disk
        assert not Path(ctx.config["UPLOAD_FOLDER"]).exists()


def test_a_refused_upload_leaves_nothing_in_the_storage(ctx, storage_backend):
    user, _e, _s, application = make_exporter_with_application(complete=False)
    with pytest.raises(ValidationFailed):
        documents.upload_document(user, application, "haccp", io.BytesIO(b"<html></html>"),
                                  "x.pdf")
    assert stored_objects(storage_backend, ctx) == {}
    assert db.session.scalar(select(func.count()).select_from(Document)) == 0


def test_an_issued_certificate_is_kept_in_the_storage_with_its_key(ctx, storage_backend):
    certificate = make_certificate()[3]
    pdf = db.session.get(StoredPdf, db.session.get(Certificate, certificate.id).pdf_id)
    assert pdf.content is None and pdf.storage_key == storage.object_key(pdf.sha256)
    stored = stored_objects(storage_backend, ctx)[pdf.storage_key]
    assert stored.startswith(b"%PDF-") and hashlib.sha256(stored).hexdigest() == pdf.sha256
    assert issued_files.pdf_bytes(pdf) == stored and pdf.size == len(stored)
    tamper(storage_backend, pdf.sha256, stored + b"%appended\n")
    with pytest.raises(storage.StoredFileCorrupted):
        issued_files.pdf_bytes(pdf)


def test_rows_holding_their_bytes_from_before_the_storage_are_read_and_checked(ctx):
    certificate = make_certificate()[3]
    pdf = db.session.get(StoredPdf, db.session.get(Certificate, certificate.id).pdf_id)
    issued = issued_files.pdf_bytes(pdf)
    storage.backend().delete(pdf.storage_key)  # as a row written by an earlier version
    pdf.content, pdf.storage_key = issued, None
    db.session.commit()
    assert issued_files.pdf_bytes(pdf) == issued
    pdf.content = issued + b"%"
    db.session.commit()
    with pytest.raises(storage.StoredFileCorrupted):
        issued_files.pdf_bytes(pdf)


def test_an_unusable_storage_keeps_nothing_and_says_so(ctx, storage_backend):
    if storage_backend == "folder":
        ctx.config["UPLOAD_FOLDER"] = str(Path(ctx.config["UPLOAD_FOLDER"]) / "file")
        Path(ctx.config["UPLOAD_FOLDER"]).parent.mkdir(parents=True)
        Path(ctx.config["UPLOAD_FOLDER"]).write_bytes(b"a file where the folder should be")
    else:
        ctx.config["STORAGE_URL"] = "s3://certtrack-no-such-bucket"
    ctx.extensions.pop("certtrack.storage", None)
    user, _e, _s, application = make_exporter_with_application(complete=False)
    with pytest.raises(storage.StorageUnavailable) as unavailable:
        documents.upload_document(user, application, "haccp", io.BytesIO(PDF_BYTES), "a.pdf")
    assert unavailable.value.status == 503
    assert db.session.scalar(select(func.count()).select_from(Document)) == 0


@pytest.mark.parametrize(("url", "bucket", "prefix"), [
    ("s3://certtrack-files", "certtrack-files", ""),
    ("s3://certtrack-files/", "certtrack-files", ""),
    ("s3://certtrack-files/production/kz", "certtrack-files", "production/kz/"),
])
def test_storage_url_names_the_bucket_and_prefix(url, bucket, prefix):
    store = storage.storage_from_config({"STORAGE_URL": url, "S3_ENDPOINT_URL": "http://s3:9000",
                                         "UPLOAD_FOLDER": "/unused"})
    assert (store.kind, store.bucket, store.prefix, store.endpoint_url) == (
        "s3", bucket, prefix, "http://s3:9000")


@pytest.mark.parametrize("url", ["s3://", "ftp://files/certtrack", "/var/lib/certtrack",
                                 "s3://bucket/prefix?versionId=1"])
def test_the_app_refuses_to_start_with_a_storage_it_does_not_know(tmp_path, url):
    with pytest.raises(RuntimeError, match="STORAGE_URL must look like s3://bucket/prefix"):
        create_app({"TESTING": True, "SECRET_KEY": "x", "STORAGE_URL": url,
                    "SQLALCHEMY_DATABASE_URI": "sqlite://", "UPLOAD_FOLDER": str(tmp_path)})
