"""A consignment request's supporting documents (contract, laboratory report...): uploaded
with the upload rules of applications, removed from a draft."""

from typing import BinaryIO

from flask_babel import gettext as _
from sqlalchemy import select

from certtrack.extensions import db
from certtrack.models import Consignment, ConsignmentDocument, User
from certtrack.models.consignment import DOCUMENT_KINDS
from certtrack.services.audit import record_event
from certtrack.services.consignments.access import require_owner
from certtrack.services.consignments.drafts import require_draft
from certtrack.services.documents import with_next_version
from certtrack.services.errors import ValidationFailed
from certtrack.services.transaction import transaction
from certtrack.services.uploads import (
    AlreadyUploaded,
    StoredFile,
    already_there,
    display_name,
    store_upload,
)


def remove_document(actor: User, consignment: Consignment, document_id: int) -> None:
    """Remove a supporting document from a draft (a wrong file, or the wrong kind), with an
    audit row. :raise ValidationFailed: not a document of this draft (removed already)."""
    require_owner(actor, consignment)
    require_draft(consignment, "remove_document")
    document = next((d for d in consignment.documents if d.id == document_id), None)
    if document is None:
        raise ValidationFailed({"": [_("This document is no longer on the draft: it was "
                                       "removed, in another window or tab perhaps.")]})
    with transaction():
        consignment.documents.remove(document)
        record_event(actor, "consignment_document_removed", object_type="consignment",
                     object_id=consignment.id, data={"kind": document.kind,
                                                     "name": document.original_name,
                                                     "sha256": document.sha256})


def _latest_document(consignment: Consignment, kind: str) -> ConsignmentDocument | None:
    return db.session.scalar(
        select(ConsignmentDocument)
        .where(ConsignmentDocument.consignment_id == consignment.id,
               ConsignmentDocument.kind == kind)
        .order_by(ConsignmentDocument.version.desc()).limit(1))


def _check_repeat(actor: User, latest: ConsignmentDocument | None, sha256: str) -> None:
    """:raise AlreadyUploaded: the file (`sha256`) is the latest document of its kind."""
    if latest is not None and latest.sha256 == sha256:
        raise AlreadyUploaded(latest, already_there(actor, latest))


def upload_consignment_document(actor: User, consignment: Consignment, kind: str,
                                stream: BinaryIO, filename: str) -> ConsignmentDocument:
    """Store a supporting document (contract, laboratory report...) with the upload rules of
    applications: PDF, JPEG or PNG by content, kept under its SHA-256, numbered after the
    documents of its kind.

    :raise IllegalTransition: the consignment is past its draft.
    :raise ValidationFailed: unknown kind, or a file that is not PDF, JPEG or PNG.
    :raise AlreadyUploaded: the file is the latest document of its kind already (the upload
        sent twice, at the same instant too: the number's constraint refuses the second);
        nothing is added.
    :raise Conflict: the number was lost to parallel uploads VERSION_ATTEMPTS times.
    """
    require_owner(actor, consignment)
    require_draft(consignment, "upload_document")
    if kind not in DOCUMENT_KINDS:
        raise ValidationFailed({"kind": [_("Choose a document type from the list.")]})
    stored = store_upload(actor, stream, lambda sha256: _check_repeat(
        actor, _latest_document(consignment, kind), sha256))
    name = display_name(filename, stored.content_type)
    return with_next_version(lambda: _add_document(actor, consignment, kind, stored, name))


def _add_document(actor: User, consignment: Consignment, kind: str, stored: StoredFile,
                  name: str) -> ConsignmentDocument:
    """Insert the next document of the kind in one transaction, unless the latest is the same
    file (AlreadyUploaded)."""
    with transaction():
        latest = _latest_document(consignment, kind)
        _check_repeat(actor, latest, stored.sha256)
        document = ConsignmentDocument(
            consignment_id=consignment.id, kind=kind,
            version=1 + (latest.version if latest is not None else 0), original_name=name,
            content_type=stored.content_type, size=stored.size, sha256=stored.sha256,
            uploaded_by_id=actor.id)
        db.session.add(document)
        db.session.flush()
        record_event(actor, "consignment_document_uploaded", object_type="consignment",
                     object_id=consignment.id, data={"kind": kind, "sha256": stored.sha256})
    return document
