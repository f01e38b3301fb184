"""Supporting documents: type decided by content, stored under their SHA-256, versioned."""

from collections.abc import Callable
from typing import BinaryIO, TypeVar

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from certtrack.domain.workflow import State, check_state
from certtrack.extensions import db
from certtrack.models import Application, Document, DocumentType, Finding, User
from certtrack.services import storage
from certtrack.services.applications import get_application, latest_documents
from certtrack.services.audit import record_event
from certtrack.services.errors import Conflict, NotFound, ValidationFailed
from certtrack.services.permissions import require_owner
from certtrack.services.transaction import stale_message, transaction
from certtrack.services.uploads import (
    AlreadyUploaded,
    StoredFile,
    already_there,
    display_name,
    sniff_content_type,
    store_upload,
)

# Returned by GACC too: its requests often ask for a document (a plan, a translation), which
# the registrar sends back with the exporter's answer.
UPLOAD_STATES = (State.draft, State.returned, State.corrective_actions, State.gacc_returned)
# Parallel uploads of one document type (a double click) race for the next version; the
# unique constraint refuses the loser, which takes the next number (at most this many tries).
VERSION_ATTEMPTS = 25
T = TypeVar("T")
__all__ = ["AlreadyUploaded", "display_name", "sniff_content_type", "store_upload"]


def upload_document(actor: User, application: Application, document_type_code: str,
                    stream: BinaryIO, filename: str) -> Document:
    """Store an uploaded file as the next version of its document type.

    Earlier versions stay; the same bytes are stored once. A file that is the latest version
    already (the same SHA-256: the upload sent twice) adds none, unless that version was
    rejected (sent again for another look, it is a new version to review).
    :raise IllegalTransition: the application does not take documents in its state (409).
    :raise ValidationFailed: unknown document type, or a file refused by uploads.store_upload.
    :raise AlreadyUploaded: the file is the latest version of the document type already, not
        rejected.
    :raise Conflict: the version was lost to parallel uploads VERSION_ATTEMPTS times.
    """
    require_owner(actor, application)
    check_state(application.state, UPLOAD_STATES, "upload_document")
    if db.session.get(DocumentType, document_type_code or "") is None:
        raise ValidationFailed({"document_type": [_("Choose a document type from the list.")]})
    stored = store_upload(actor, stream, lambda sha256: _check_repeat(
        actor, _latest(application, document_type_code), sha256))
    name = display_name(filename, stored.content_type)
    return with_next_version(lambda: _add_version(actor, application, document_type_code,
                                                  stored, name))


def with_next_version(insert: Callable[[], T]) -> T:
    """What `insert` returns: it adds the next version of a document in a transaction of its
    own; when a parallel upload took that version (the unique constraint refuses it), it runs
    again, to count anew or to find the first's file the same (AlreadyUploaded).

    :raise Conflict: the version was lost VERSION_ATTEMPTS times.
    """
    for _attempt in range(VERSION_ATTEMPTS):
        try:
            return insert()
        except IntegrityError:
            continue
    raise Conflict(stale_message())


def _add_version(actor: User, application: Application, document_type_code: str,
                 stored: StoredFile, name: str) -> Document:
    """Insert the next version of the document type in one transaction, unless the latest is
    the same file (AlreadyUploaded)."""
    with transaction():
        latest = _latest(application, document_type_code)
        _check_repeat(actor, latest, stored.sha256)
        version = 1 + (latest.version if latest is not None else 0)
        document = Document(
            application_id=application.id, document_type_code=document_type_code,
            version=version, original_name=name, content_type=stored.content_type,
            size=stored.size, sha256=stored.sha256, uploaded_by_id=actor.id,
        )
        db.session.add(document)
        db.session.flush()
        record_event(actor, "document_uploaded", object_type="document", object_id=document.id,
                     application_id=application.id,
                     data={"type": document_type_code, "version": version,
                           "sha256": stored.sha256})
    return document


def same_file_elsewhere(application: Application, document: Document) -> Document | None:
    """Take an application and a document just uploaded; return the current document of
    another type whose file is the very same (its SHA-256), if one is: one PDF uploaded as
    every required document went in without a word."""
    return next((other for code, other in latest_documents(application).items()
                 if code != document.document_type_code and other.sha256 == document.sha256),
                None)


def _latest(application: Application, document_type_code: str) -> Document | None:
    return db.session.scalar(
        select(Document).where(Document.application_id == application.id,
                               Document.document_type_code == document_type_code)
        .order_by(Document.version.desc()).limit(1))


def _check_repeat(actor: User, latest: Document | None, sha256: str) -> None:
    """:raise AlreadyUploaded: the file (`sha256`) is the latest version already, and that
    version was not rejected (a rejected one may be sent again for another look)."""
    if latest is not None and latest.sha256 == sha256 and latest.review_status != "rejected":
        raise AlreadyUploaded(latest, already_there(actor, latest))


def get_document(actor: User, document_id: int) -> Document:
    """A document the actor may see, through its application.

    :raise NotFound: unknown, or of an application outside the actor's scope.
    """
    document = db.session.get(Document, document_id)
    if document is None:
        raise NotFound(_("No such document."))
    try:
        get_application(actor, document.application_id)
    except NotFound:  # said of the document asked for, not of an application never named
        raise NotFound(_("No such document.")) from None
    return document


def document_file(document: Document) -> BinaryIO:
    """The stored bytes, checked against the document's SHA-256, as a file to stream (the
    caller closes it).

    :raise NotFound: the file is missing from storage.
    :raise StoredFileCorrupted: the stored bytes no longer match (never served).
    :raise StorageUnavailable: the object storage did not answer.
    """
    try:
        return storage.open_verified(document.sha256)
    except storage.StoredFileMissing:
        raise NotFound(_("The file of this document is missing from storage.")) from None


EVIDENCE_TYPE = "corrective_evidence"  # a finding's evidence: one version line per application


def evidence_findings(application: Application) -> dict[int, Finding]:
    """Take an application; return each finding with evidence by its current evidence
    document's id (one query). Changes nothing."""
    return {finding.evidence_document_id: finding for finding in db.session.scalars(
        select(Finding).where(Finding.application_id == application.id,
                              Finding.evidence_document_id.is_not(None)))}


def current_documents(application: Application,
                      evidence: dict[int, Finding] | None = None) -> list[Document]:
    """Take an application (and its evidence_findings, when already read); return its
    documents in force: the newest version of each document type, but of the corrective-action
    evidence each finding's own (one finding's evidence is a later version of another's, and
    replaced it in the list and the dossier). Changes nothing."""
    evidence = evidence_findings(application) if evidence is None else evidence
    current = []
    for code, document in latest_documents(application).items():
        if code != EVIDENCE_TYPE:
            current.append(document)
            continue
        current.extend(sorted((d for d in application.documents if d.id in evidence),
                              key=lambda d: d.version))
    return current
