"""The exporter's consignments: read with their lots, documents and certificates, submitted,
withdrawn, and the certificate PDFs China's border checks (drafts, their lots and documents
are made in consignment_drafts)."""

from flask import url_for

from certtrack.api import schemas
from certtrack.api.core import PDF_ERRORS, WRITE_ERRORS, ApiBlueprint, may_write, operation
from certtrack.api.etags import etag_of, stale
from certtrack.api.problems import pdf_preparing
from certtrack.domain.workflow import Role
from certtrack.services import listings, withdrawals
from certtrack.services.consignments import access, drafts, status
from certtrack.services.errors import ValidationFailed
from certtrack.services.permissions import consignment_actions
from certtrack.web.issued import stored_pdf_response

bp = ApiBlueprint("consignments_api", __name__, url_prefix="/api/v1",
                  description="An exporter's consignment requests and their phytosanitary or "
                              "veterinary certificates.")
EXPORTER = (Role.exporter,)
ETAG = {"ETag": {"schema": {"type": "string"}}}


def certificate_view(certificate) -> dict:
    """A consignment certificate with its status as of today (never stored)."""
    return {"id": certificate.id, "number": certificate.number, "kind": certificate.kind,
            "issued_on": certificate.issued_on, "replaces_id": certificate.replaces_id,
            "status": status.certificate_status(certificate)}


def consignment_view(user, consignment, certificates=None, reasons=None) -> dict:
    """A consignment as the API shows it, with its certificates (those given, or its own),
    why it was withdrawn (from `reasons`, a page's, or its own) and what the user may do."""
    if certificates is None:
        certificates = status.certificates_of(consignment)
    if reasons is None:
        reasons = withdrawals.withdrawal_reasons("consignment", [consignment])
    fields = set(schemas.ConsignmentSchema().fields) - {"lots", "certificates",
                                                        "allowed_actions", "withdrawal_reason"}
    return {**{name: getattr(consignment, name) for name in fields},
            "withdrawal_reason": reasons.get(consignment.id),
            "lots": list(consignment.lots),
            "certificates": [certificate_view(c) for c in certificates],
            "allowed_actions": [str(a) for a in consignment_actions(user, consignment)]
            if may_write() else []}


def _shown(user, consignment) -> tuple[dict, str]:
    """The consignment as the user reads it now, and its ETag."""
    view = consignment_view(user, consignment)
    return view, etag_of("consignment", consignment, schemas.ConsignmentSchema().dump(view))


def tagged(user, consignment, status: int = 200, *, created: bool = False):
    """The consignment's answer with its ETag (and its Location when it was `created`)."""
    body, etag = _shown(user, consignment)
    headers = {"ETag": etag}
    if created:
        headers["Location"] = url_for("consignments_api.consignment",
                                      consignment_id=consignment.id)
    return body, status, headers


def stale_consignment(user, consignment):
    """412 when If-Match names another ETag than the consignment's now, else None."""
    return stale(_shown(user, consignment)[1])


@bp.get("/consignments")
@bp.arguments(schemas.ConsignmentFilter, location="query")
@bp.response(200, schemas.page_of(schemas.ConsignmentSchema))
@operation(bp, *EXPORTER)
def consignment_list(user, args):
    """The enterprise's consignments, optionally in one state."""
    result = listings.consignments(user, after=args["cursor"], limit=args["limit"],
                                   state=args["state"])
    certificates = status.certificates_of_many([c.id for c in result.items])
    reasons = withdrawals.withdrawal_reasons("consignment", result.items)
    return {"items": [consignment_view(user, c, certificates.get(c.id, []), reasons)
                      for c in result.items],
            "next_cursor": schemas.encode_cursor(result.next_after)}


@bp.get("/consignments/<id:consignment_id>")
@bp.response(200, schemas.ConsignmentSchema, headers=ETAG)
@operation(bp, *EXPORTER)
def consignment(user, consignment_id: int):
    """One consignment; its ETag goes into If-Match of the writes on it."""
    return tagged(user, access.get_consignment(user, consignment_id))


@bp.post("/consignments/<id:consignment_id>/submit")
@bp.response(200, schemas.ConsignmentSubmittedSchema, headers=ETAG)
@operation(bp, *EXPORTER, scope="write", errors=WRITE_ERRORS)
def submit(user, consignment_id: int):
    """Submit a draft to the inspection (gated on the registration and market access, as the
    page); send If-Match."""
    target = access.get_consignment(user, consignment_id)
    if (refused := stale_consignment(user, target)) is not None:
        return refused
    due = drafts.submit_consignment(user, target, target.version)
    body, _status, headers = tagged(user, access.get_consignment(user, consignment_id))
    return {"consignment": body, "certificate_due": due}, 200, headers


@bp.post("/consignments/<id:consignment_id>/withdraw")
@bp.arguments(schemas.ConsignmentWithdrawSchema)
@bp.response(200, schemas.ConsignmentSchema, headers=ETAG)
@operation(bp, *EXPORTER, scope="write", errors=WRITE_ERRORS)
def withdraw(user, data, consignment_id: int):
    """Withdraw a draft or a submitted consignment for good (a reason once submitted); send
    If-Match."""
    target = access.get_consignment(user, consignment_id)
    if (refused := stale_consignment(user, target)) is not None:
        return refused
    try:
        drafts.withdraw_consignment(user, target, data["reason"], target.version)
    except ValidationFailed as error:  # the service names its argument "comment"
        raise ValidationFailed({"reason" if field == "comment" else field: messages
                                for field, messages in error.errors.items()}) from error
    return tagged(user, access.get_consignment(user, consignment_id))


@bp.get("/consignment-certificates/<id:certificate_id>/pdf")
@bp.response(200, {"type": "string", "format": "binary"}, content_type="application/pdf")
@operation(bp, *EXPORTER, errors=PDF_ERRORS)
def certificate_pdf(user, certificate_id: int):
    """The phytosanitary or veterinary certificate's PDF, exactly as stored."""
    found = status.get_consignment_certificate(user, certificate_id)
    pdf = status.stored_pdf(found)
    if pdf is None:
        return pdf_preparing()
    return stored_pdf_response(pdf, f"{found.number}.pdf")
