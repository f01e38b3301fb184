"""Supporting documents: type decided by content, stored under their SHA-256, versioned."""

import hashlib
import os
import re
import tempfile
from pathlib import Path
from typing import BinaryIO

from flask import current_app
from flask_babel import gettext as _
from PIL import Image, UnidentifiedImageError
from sqlalchemy import func, select

from certtrack.domain.workflow import State
from certtrack.extensions import db
from certtrack.models import Application, Document, DocumentType, User
from certtrack.services.applications import get_application
from certtrack.services.audit import record_event
from certtrack.services.errors import NotFound, PermissionDenied, ValidationFailed
from certtrack.services.permissions import require_owner
from certtrack.services.transaction import transaction

UPLOAD_STATES = (State.draft, State.returned, State.corrective_actions)
SIGNATURES = (
    (b"%PDF-", "application/pdf"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
)
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_CHUNK = 1024 * 1024


def sniff_content_type(head: bytes) -> str | None:
    """The type the first bytes prove (PDF, JPEG or PNG), or None."""
    return next((kind for magic, kind in SIGNATURES if head.startswith(magic)), None)


def _image_is_sound(path: Path) -> bool:
    try:
        with Image.open(path) as image:
            image.verify()
        return True
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        return False


def display_name(filename: str) -> str:
    """The name the user gave the file, without any folder and control characters.

    Used only for display and as the download name; never as a path on disk.
    """
    name = re.split(r"[\\/]", filename or "")[-1]
    name = "".join(ch for ch in name if ch.isprintable()).strip()
    return name[:255] or "document"


def storage_path(sha256: str) -> Path:
    """Where the bytes with this SHA-256 live: <uploads>/<first two hex digits>/<sha256>."""
    if not _SHA256.match(sha256):
        raise ValueError("not a SHA-256 hex digest")
    return Path(current_app.config["UPLOAD_FOLDER"]) / sha256[:2] / sha256


def _store(stream: BinaryIO) -> tuple[str, int, str | None]:
    """Copy the stream to the upload folder, hashing it; return sha256, size and sniffed type."""
    folder = Path(current_app.config["UPLOAD_FOLDER"])
    folder.mkdir(parents=True, exist_ok=True)
    digest, size, head = hashlib.sha256(), 0, b""
    handle, temp_name = tempfile.mkstemp(dir=folder, prefix=".upload-")
    with os.fdopen(handle, "wb") as out:
        while chunk := stream.read(_CHUNK):
            if not head:
                head = chunk[:16]
            digest.update(chunk)
            size += len(chunk)
            out.write(chunk)
    kind = sniff_content_type(head)
    if kind and kind.startswith("image/") and not _image_is_sound(Path(temp_name)):
        kind = None
    sha256 = digest.hexdigest()
    if kind is None or size == 0:
        os.unlink(temp_name)
        return sha256, size, None
    target = storage_path(sha256)
    target.parent.mkdir(exist_ok=True)
    os.replace(temp_name, target)
    return sha256, size, kind


def store_upload(stream: BinaryIO) -> tuple[str, int, str | None]:
    """Store an uploaded stream by the rules of security.md item 15; return its SHA-256, size
    and content type (None, and nothing kept, when it is not a sound PDF, JPEG or PNG)."""
    return _store(stream)


def upload_document(actor: User, application: Application, document_type_code: str,
                    stream: BinaryIO, filename: str) -> Document:
    """Store an uploaded file as the next version of its document type.

    Earlier versions stay; the same bytes are stored once.
    :raise PermissionDenied: the application does not take documents in its state.
    :raise ValidationFailed: unknown document type, or a file that is not PDF, JPEG or PNG.
    """
    require_owner(actor, application)
    if application.state not in UPLOAD_STATES:
        raise PermissionDenied(_("Documents can no longer be added to this application."))
    if db.session.get(DocumentType, document_type_code or "") is None:
        raise ValidationFailed({"document_type": [_("Choose a document type from the list.")]})
    sha256, size, kind = _store(stream)
    if kind is None:
        raise ValidationFailed({"file": [_(
            "Only PDF, JPEG or PNG files are accepted, and this file is none of them."
        )]})
    with transaction():
        version = 1 + (db.session.scalar(
            select(func.max(Document.version)).where(
                Document.application_id == application.id,
                Document.document_type_code == document_type_code)) or 0)
        document = Document(
            application_id=application.id, document_type_code=document_type_code,
            version=version, original_name=display_name(filename), content_type=kind,
            size=size, sha256=sha256, uploaded_by_id=actor.id,
        )
        db.session.add(document)
        db.session.flush()
        record_event(actor, "document_uploaded", object_type="document", object_id=document.id,
                     application_id=application.id,
                     data={"type": document_type_code, "version": version, "sha256": sha256})
    return document


def get_document(actor: User, document_id: int) -> Document:
    """A document the actor may see, through its application.

    :raise NotFound: unknown, or of an application outside the actor's scope.
    """
    document = db.session.get(Document, document_id)
    if document is None:
        raise NotFound(_("No such document."))
    get_application(actor, document.application_id)
    return document


def document_file(document: Document) -> Path:
    """The path of the stored bytes.

    :raise NotFound: the file is missing from storage.
    """
    path = storage_path(document.sha256)
    if not path.is_file():
        raise NotFound(_("The file of this document is missing from storage."))
    return path
