"""Uploaded files (docs/security.md item 15): type by content, no HTML polyglots, a quota per
user, an optional ClamAV scan, kept in the storage (services/storage.py) under their SHA-256,
with a name that follows the type."""

import hashlib
import os
import re
import socket
import struct
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from flask import current_app
from flask_babel import gettext as _
from PIL import Image, UnidentifiedImageError
from sqlalchemy import func, select

from certtrack.extensions import db
from certtrack.models import Document, User
from certtrack.models.consignment import ConsignmentDocument
from certtrack.services import storage
from certtrack.services.errors import ServiceError, ValidationFailed
from certtrack.services.local_dates import format_moment

SIGNATURES = (
    (b"%PDF-", "application/pdf"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
)
# The extensions a stored file may be named with, the first being the one given it otherwise.
EXTENSIONS = {"application/pdf": (".pdf",), "image/jpeg": (".jpg", ".jpeg"),
              "image/png": (".png",)}
# Markup a browser would render if the file were opened as HTML: a PDF carrying it in its first
# kilobyte is a PDF/HTML polyglot and is refused.
HTML_MARKERS = (b"<html", b"<script", b"<body", b"<head", b"<!doctype", b"<iframe", b"<svg",
                b"<object", b"<embed", b"<meta")
POLYGLOT_WINDOW = 1024
_CHUNK = 1024 * 1024
_CLAMD_CHUNK = 64 * 1024


@dataclass(frozen=True)
class StoredFile:
    """An accepted upload: its SHA-256, size in bytes and content type."""

    sha256: str
    size: int
    content_type: str


class AlreadyUploaded(ServiceError):
    """The file sent is already the latest of its document (the same SHA-256): the upload sent
    twice (a double click, the form sent again after the browser's Back button). Nothing was
    added; `document` is that latest one."""

    status = 409

    def __init__(self, document, message: str):
        super().__init__(message)
        self.document = document


def already_there(actor: User, document) -> str:
    """What to say of a file sent again that is the latest `document` (a Document, whose
    version the pages show, or a ConsignmentDocument) already: when, and by whom if by someone
    else."""
    time = format_moment(document.uploaded_at)
    version = document.version if isinstance(document, Document) else None
    other = document.uploaded_by_id not in (None, actor.id)
    name = document.uploaded_by.full_name if other else ""
    if version is not None and other:
        return _("This file is already there as version %(version)s, uploaded at %(time)s by "
                 "%(name)s: nothing was added.", version=version, time=time, name=name)
    if version is not None:
        return _("This file is already there as version %(version)s, uploaded at %(time)s: "
                 "nothing was added.", version=version, time=time)
    if other:
        return _("This file is already there, uploaded at %(time)s by %(name)s: nothing was "
                 "added.", time=time, name=name)
    return _("This file is already there, uploaded at %(time)s: nothing was added.", time=time)


def sniff_content_type(head: bytes) -> str | None:
    """The type the first bytes prove (PDF, JPEG or PNG), or None."""
    return next((kind for magic, kind in SIGNATURES if head.startswith(magic)), None)


def looks_like_html(head: bytes) -> bool:
    """True when the first kilobyte carries markup a browser would run as a page."""
    window = head[:POLYGLOT_WINDOW].lower()
    return any(marker in window for marker in HTML_MARKERS)


def display_name(filename: str, content_type: str | None = None) -> str:
    """The name the user gave the file, without any folder and control characters; with
    `content_type`, its extension is the type's (`scan.html` holding a PDF becomes
    `scan.pdf`), so that the file opened from disk is what it was checked to be.

    Used only for display and as the download name; never as a path on disk.
    """
    name = re.split(r"[\\/]", filename or "")[-1]
    name = "".join(ch for ch in name if ch.isprintable()).strip()[:240] or "document"
    allowed = EXTENSIONS.get(content_type or "")
    if allowed is None:
        return name
    stem, extension = os.path.splitext(name)
    if extension.lower() in allowed:
        return name
    return f"{stem or 'document'}{allowed[0]}"


def used_storage(user: User) -> int:
    """The bytes of every document the user uploaded (applications and consignments)."""
    total = 0
    for model in (Document, ConsignmentDocument):
        total += db.session.scalar(select(func.coalesce(func.sum(model.size), 0))
                                   .where(model.uploaded_by_id == user.id))
    return total


def _image_is_sound(path: Path) -> bool:
    try:
        with Image.open(path) as image:
            image.verify()
        return True
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        return False


def _pdf_is_whole(path: Path) -> bool:
    """True when the PDF holds an end-of-file marker ("%%EOF"), as each revision of a PDF
    ends with one: a file cut short (an interrupted download or copy) or bytes behind a PDF
    header lack it, and no reader would open them. Anywhere, not only at the end: some
    programs pad a PDF after it, and a PDF cut in a later revision still reads as the one
    before."""
    overlap = b""
    with open(path, "rb") as handle:
        while chunk := handle.read(_CHUNK):
            if b"%%EOF" in overlap + chunk:
                return True
            overlap = chunk[-4:]
    return False


def _copy(stream: BinaryIO, folder: Path | None) -> tuple[str, str, int, bytes]:
    """Copy the stream to a temporary file of `folder` (None: the system's temporary folder):
    (its path, sha256, size, first KB). The digest is of the bytes written, read once."""
    digest, size, head = hashlib.sha256(), 0, b""
    handle, temp_name = tempfile.mkstemp(dir=folder, prefix=".upload-")
    with os.fdopen(handle, "wb") as out:
        while chunk := stream.read(_CHUNK):
            if len(head) < POLYGLOT_WINDOW:
                head += chunk[:POLYGLOT_WINDOW - len(head)]
            digest.update(chunk)
            size += len(chunk)
            out.write(chunk)
    return temp_name, digest.hexdigest(), size, head


def _refusal(actor: User, path: Path, size: int, head: bytes) -> str | None:
    """Why the temporary file cannot be kept, or None when it may."""
    if size == 0:
        return _("This file is empty (0 bytes): choose the file again, or save it again and "
                 "upload that.")
    kind = sniff_content_type(head)
    if kind is None or (kind.startswith("image/") and not _image_is_sound(path)):
        return _("Only PDF, JPEG or PNG files are accepted, and this file is none of them.")
    if kind == "application/pdf" and not _pdf_is_whole(path):
        return _("This PDF is incomplete or damaged: it does not end as a PDF does. Save it "
                 "again, or print it to PDF, and upload that.")
    if looks_like_html(head):
        return _("This file is also readable as a web page, which a browser could run. "
                 "Save it again as a plain PDF (print to PDF) and upload that.")
    quota = current_app.config.get("UPLOAD_QUOTA_BYTES")
    if quota and used_storage(actor) + size > quota:
        return _("Your uploads have reached the storage limit of %(limit)s MB. "
                 "Ask the administrator to raise it.", limit=quota // (1024 * 1024))
    return virus_refusal(path)


def store_upload(actor: User, stream: BinaryIO,
                 repeat: Callable[[str], None] | None = None) -> StoredFile:
    """Store an uploaded stream by the rules of security.md item 15.

    `repeat`, given the file's SHA-256 before any rule is applied, raises AlreadyUploaded when
    the file is already there (the upload sent twice): that is said first, even near the
    quota, which a file adding nothing does not reach.
    :raise AlreadyUploaded: as `repeat` raises it; nothing is kept.
    :raise ValidationFailed: (on `file`) not a sound PDF, JPEG or PNG, a PDF/HTML polyglot,
        over the actor's quota, or refused by the virus scanner; nothing is kept then.
    :raise StorageUnavailable: the object storage did not take the file.
    """
    temp_name, sha256, size, head = _copy(stream, storage.staging_folder())
    try:
        if repeat is not None:
            repeat(sha256)
        refusal = _refusal(actor, Path(temp_name), size, head)
    except BaseException:
        os.unlink(temp_name)
        raise
    if refusal is not None:
        os.unlink(temp_name)
        raise ValidationFailed({"file": [refusal]})
    storage.keep_file(Path(temp_name), sha256)
    return StoredFile(sha256=sha256, size=size, content_type=sniff_content_type(head) or "")


def clamd_verdict(path: Path, address: str, timeout: float = 30.0) -> str:
    """Send the file to clamd with INSTREAM and return its answer ("stream: OK" or
    "stream: <signature> FOUND"). `address` is a Unix socket path or host:port.

    :raise OSError: clamd cannot be reached or hangs up.
    """
    if address.startswith("/"):
        connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        target: str | tuple[str, int] = address
    else:
        host, _sep, port = address.rpartition(":")
        connection = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        target = (host, int(port))
    with connection, open(path, "rb") as source:
        connection.settimeout(timeout)
        connection.connect(target)
        connection.sendall(b"zINSTREAM\0")
        while chunk := source.read(_CLAMD_CHUNK):
            connection.sendall(struct.pack("!L", len(chunk)) + chunk)
        connection.sendall(struct.pack("!L", 0))
        answer = b""
        while not answer.endswith(b"\0") and (part := connection.recv(4096)):
            answer += part
    return answer.rstrip(b"\0").decode("utf-8", "replace").strip()


def virus_refusal(path: Path) -> str | None:
    """With CLAMD_SOCKET set, the refusal of a file clamd finds infected, or of any file while
    clamd cannot answer (fail closed); None when the file is clean or no scanner is set."""
    address = current_app.config.get("CLAMD_SOCKET")
    if not address:
        return None
    try:
        verdict = clamd_verdict(path, address)
    except (OSError, ValueError):
        current_app.logger.exception("clamd at %s could not scan an upload", address)
        return _("The virus scan is not available right now. Try again in a few minutes.")
    if verdict.endswith("FOUND"):
        current_app.logger.warning("clamd refused an upload: %s", verdict)
        return _("The virus scanner found malware in this file; it was not stored.")
    if not verdict.endswith("OK"):
        return _("The virus scan is not available right now. Try again in a few minutes.")
    return None
