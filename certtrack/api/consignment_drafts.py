"""The exporter's consignment requests made through the API, as on the pages: a draft, its
lots added and removed, its documents uploaded (the services of the consignment pages,
services/consignments/drafts.py, with their rules and messages). Only a draft may change:
a consignment past it answers 409 with its state."""

from certtrack.api import schemas
from certtrack.api.consignment_schemas import (
    ConsignmentDocumentUploadSchema,
    ConsignmentInputSchema,
    LotInputSchema,
)
from certtrack.api.consignments import ETAG, EXPORTER, bp, stale_consignment, tagged
from certtrack.api.core import WRITE_ERRORS, operation
from certtrack.services.consignments import access, documents, drafts
from certtrack.services.consignments.inputs import ConsignmentInput, LotInput, from_mapping
from certtrack.services.errors import NotFound, ValidationFailed
from certtrack.services.uploads import AlreadyUploaded

CREATED = {**ETAG, "Location": {"schema": {"type": "string"}}}


@bp.post("/consignments")
@bp.arguments(ConsignmentInputSchema)
@bp.response(201, schemas.ConsignmentSchema, headers=CREATED)
@operation(bp, *EXPORTER, scope="write", errors=WRITE_ERRORS)
def create_consignment(user, data):
    """Start a draft consignment request under one of the enterprise's registrations in force
    (the page's "New consignment"); add its lots and documents, then submit it. Send an
    Idempotency-Key to make one draft of a request sent twice."""
    created = drafts.create_consignment(user, from_mapping(ConsignmentInput, data))
    return tagged(user, access.get_consignment(user, created.id), 201, created=True)


@bp.post("/consignments/<id:consignment_id>/lots")
@bp.arguments(LotInputSchema)
@bp.response(201, schemas.ConsignmentSchema, headers=ETAG,
             description="The consignment with the new lot (the last of its lots).")
@operation(bp, *EXPORTER, scope="write", errors=WRITE_ERRORS)
def add_lot(user, data, consignment_id: int):
    """Add a lot to a draft: a product its registration covers, its weights, packages and
    marks; send If-Match. The answer's ETag goes into the next write."""
    target = access.get_consignment(user, consignment_id)
    if (refused := stale_consignment(user, target)) is not None:
        return refused
    drafts.add_lot(user, target, from_mapping(LotInput, data))
    return tagged(user, access.get_consignment(user, consignment_id), 201)


@bp.delete("/consignments/<id:consignment_id>/lots/<id:lot_id>")
@bp.response(200, schemas.ConsignmentSchema, headers=ETAG,
             description="The consignment without the lot.")
@operation(bp, *EXPORTER, scope="write", errors=WRITE_ERRORS)
def remove_lot(user, consignment_id: int, lot_id: int):
    """Remove a lot from a draft (kept in its history as "Lot removed", with what it
    declared); send If-Match. A lot that is not on the draft (removed already) is 404."""
    target = access.get_consignment(user, consignment_id)
    if (refused := stale_consignment(user, target)) is not None:
        return refused
    try:
        drafts.remove_lot(user, target, lot_id)
    except ValidationFailed as error:  # the lot is gone: the page's words, as a missing one
        raise NotFound(error.message) from error
    return tagged(user, access.get_consignment(user, consignment_id))


@bp.post("/consignments/<id:consignment_id>/documents")
@bp.arguments(ConsignmentDocumentUploadSchema, location="form_and_files")
@bp.response(201, schemas.ConsignmentDocumentSchema, description="The new document.")
@bp.alt_response(200, schema=schemas.ConsignmentDocumentSchema, description=(
    "The file is already the latest document of this type (the same SHA-256: the upload sent "
    "twice, or again after a lost answer): nothing was added, and that document is the "
    "answer."))
@operation(bp, *EXPORTER, scope="write", errors=WRITE_ERRORS)
def upload_document(user, form, consignment_id: int):
    """Upload a draft's supporting document (PDF, JPEG or PNG, checked by content) as
    multipart/form-data: a new document of its type (201), or, for the same file as the latest
    of that type, that document again (200), adding nothing; send If-Match. The consignment
    lists its documents."""
    target = access.get_consignment(user, consignment_id)
    if (refused := stale_consignment(user, target)) is not None:
        return refused
    upload = form["file"]
    try:
        return documents.upload_consignment_document(user, target, form["document_type"],
                                                  upload.stream, upload.filename or "")
    except AlreadyUploaded as repeat:
        return repeat.document, 200
