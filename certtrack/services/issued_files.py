"""Issued PDFs (certificates, consignment certificates, dossiers): their bytes in the storage
every server sees (services/storage.py), their row with the SHA-256 and the storage key.

The bytes are written before the row: a committed row always has its object, while a rolled
back transaction leaves at most an object no row names (the same bytes are never issued twice,
so it is harmless). Rows written before the storage existed hold their bytes in `content`; they
are read as they are, and checked against their SHA-256 the same way.
"""

import hashlib
import hmac
import io
from typing import BinaryIO

from flask import current_app

from certtrack.models import StoredPdf
from certtrack.services import storage, storage_sweep


def keep_pdf(kind: str, rendered) -> StoredPdf:
    """Take a kind (certificate, dossier, phytosanitary, veterinary) and a rendered (sealed)
    PDF; write its bytes to the storage, checked against its SHA-256, and return the row to add
    (not added to the session: the caller adds it in its transaction).

    :raise StorageUnavailable: the object storage did not take the bytes.
    """
    key = storage.keep_bytes(rendered.content, rendered.sha256)
    return StoredPdf(kind=kind, sha256=rendered.sha256, size=len(rendered.content),
                     pages=rendered.pages, storage_key=key)


def discard_pdf(pdf: StoredPdf) -> None:
    """Take a PDF whose row was not written (another job attached its certificate's PDF
    first); remove its bytes from the storage unless a row names them. A storage that does not
    answer leaves them for `flask sweep-storage`."""
    if pdf.storage_key is None or storage_sweep.named([pdf.sha256]):
        return
    try:
        storage.backend().delete(pdf.storage_key)
    except Exception:  # noqa: BLE001 - an orphan at worst, which the sweep removes
        current_app.logger.warning("could not remove the unused PDF %s", pdf.storage_key)


def open_pdf(pdf: StoredPdf) -> BinaryIO:
    """The PDF's bytes as a file at its start, checked against its SHA-256.

    :raise StoredFileCorrupted: the bytes do not match (never served).
    :raise NotFound: the object is missing from the storage.
    :raise StorageUnavailable: the object storage did not answer.
    """
    if pdf.content is None:
        return storage.open_verified(pdf.sha256)
    if not hmac.compare_digest(hashlib.sha256(pdf.content).hexdigest(), pdf.sha256):
        current_app.logger.error("stored_pdf %s does not match its SHA-256: refused", pdf.id)
        raise storage.StoredFileCorrupted(storage.corrupted_message())
    return io.BytesIO(pdf.content)


def pdf_bytes(pdf: StoredPdf) -> bytes:
    """The PDF's bytes, checked (see open_pdf)."""
    with open_pdf(pdf) as stored:
        return stored.read()
