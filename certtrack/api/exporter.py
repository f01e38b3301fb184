"""The exporter's operations: enterprise, establishments, applications, registrations."""

from flask import url_for
from flask_babel import gettext as _

from certtrack.api import schemas
from certtrack.api.core import (
    PDF_ERRORS,
    WRITE_ERRORS,
    ApiBlueprint,
    may_write,
    operation,
)
from certtrack.api.etags import etag_of, stale
from certtrack.api.problems import pdf_preparing
from certtrack.domain.workflow import Role
from certtrack.services import (
    applications,
    certificates,
    documents,
    enterprises,
    listings,
    register,
    registrations,
    withdrawals,
)
from certtrack.services.errors import NotFound
from certtrack.services.permissions import application_rights
from certtrack.web.issued import stored_pdf_response

bp = ApiBlueprint("exporter_api", __name__, url_prefix="/api/v1",
                  description="An exporter's enterprise, applications, registrations and "
                              "certificates.")
EXPORTER = (Role.exporter,)


def page(result: listings.Page) -> dict:
    """The envelope of a page: its items and the cursor of the next."""
    return {"items": result.items, "next_cursor": schemas.encode_cursor(result.next_after)}


def application_view(user, application, reasons: dict[int, str] | None = None) -> dict:
    """An application as the API shows it, with what the user may do now and, withdrawn, why
    (from `reasons`, the withdrawal reasons of a page, or read for it alone)."""
    rights = application_rights(user, application)
    if reasons is None:
        reasons = withdrawals.withdrawal_reasons("application", [application])
    return {**{name: getattr(application, name) for name in schemas.ApplicationSchema().fields
               if name not in ("allowed_actions", "withdrawal_reason")},
            "withdrawal_reason": reasons.get(application.id),
            "allowed_actions": [str(action) for action in rights.actions] if may_write() else []}


def _shown(user, application) -> tuple[dict, str]:
    """The application as the user reads it now, and its ETag."""
    view = application_view(user, application)
    return view, etag_of("application", application, schemas.ApplicationSchema().dump(view))


def _stale(user, application):
    """412 when If-Match names another ETag than the application's now, else None."""
    return stale(_shown(user, application)[1])


def _tagged(user, application, status: int = 200, *, created: bool = False):
    """The application's answer with its ETag (and its Location when it was `created`)."""
    body, etag = _shown(user, application)
    headers = {"ETag": etag}
    if created:
        headers["Location"] = url_for("exporter_api.application", application_id=application.id)
    return body, status, headers


@bp.get("/enterprise")
@bp.response(200, schemas.EnterpriseSchema)
@operation(bp, *EXPORTER)
def enterprise(user):
    """The exporter's enterprise."""
    found = enterprises.own_enterprise(user)
    if found is None:
        raise NotFound(_("Register your enterprise first."))
    return found


@bp.get("/establishments")
@bp.arguments(schemas.PageArgs, location="query")
@bp.response(200, schemas.page_of(schemas.EstablishmentSchema))
@operation(bp, *EXPORTER)
def establishment_list(user, args):
    """The enterprise's establishments."""
    return page(listings.establishments(user, after=args["cursor"], limit=args["limit"]))


@bp.get("/applications")
@bp.arguments(schemas.ApplicationFilter, location="query")
@bp.response(200, schemas.page_of(schemas.ApplicationSchema))
@operation(bp, *EXPORTER)
def application_list(user, args):
    """The enterprise's applications, optionally in one state."""
    result = listings.applications(user, after=args["cursor"], limit=args["limit"],
                                   state=args["state"])
    reasons = withdrawals.withdrawal_reasons("application", result.items)
    return {"items": [application_view(user, a, reasons) for a in result.items],
            "next_cursor": schemas.encode_cursor(result.next_after)}


@bp.post("/applications")
@bp.arguments(schemas.ApplicationInputSchema)
@bp.response(201, schemas.ApplicationSchema, headers={"ETag": {"schema": {"type": "string"}},
                                                      "Location": {"schema": {"type": "string"}}})
@operation(bp, *EXPORTER, scope="write", errors=WRITE_ERRORS)
def create_application(user, data):
    """Start a draft application (the questionnaire may be incomplete)."""
    return _tagged(user, applications.create_application(
        user, applications.ApplicationInput.from_mapping(data)), 201, created=True)


@bp.get("/applications/<id:application_id>")
@bp.response(200, schemas.ApplicationSchema, headers={"ETag": {"schema": {"type": "string"}}})
@operation(bp, *EXPORTER)
def application(user, application_id: int):
    """One application; its ETag goes into If-Match of the writes on it."""
    return _tagged(user, applications.get_application(user, application_id))


@bp.post("/applications/<id:application_id>/products")
@bp.arguments(schemas.ProductLineSchema)
@bp.response(201, schemas.ApplicationSchema, headers={"ETag": {"schema": {"type": "string"}}})
@operation(bp, *EXPORTER, scope="write", errors=WRITE_ERRORS)
def add_product(user, data, application_id: int):
    """Add a product of the application's category with its annual volume."""
    target = applications.get_application(user, application_id)
    if (refused := _stale(user, target)) is not None:
        return refused
    applications.add_product(user, target, applications.ProductInput.from_mapping(data))
    return _tagged(user, applications.get_application(user, application_id), 201)


@bp.post("/applications/<id:application_id>/documents")
@bp.arguments(schemas.DocumentUploadSchema, location="form_and_files")
@bp.response(201, schemas.DocumentSchema, description="The new version of the document.")
@bp.alt_response(200, schema=schemas.DocumentSchema, description=(
    "The file is already the latest version of this document type (the same SHA-256: the "
    "upload sent twice, or again after a lost answer): nothing was added, and that version is "
    "the answer."))
@operation(bp, *EXPORTER, scope="write", errors=WRITE_ERRORS)
def upload_document(user, form, application_id: int):
    """Upload a document (PDF, JPEG or PNG, checked by content) as multipart/form-data: the
    next version of its document type (201), or, for the same file as the latest version, that
    version again (200), adding nothing."""
    target = applications.get_application(user, application_id)
    if (refused := _stale(user, target)) is not None:
        return refused
    upload = form["file"]
    try:
        return documents.upload_document(user, target, form["document_type"], upload.stream,
                                         upload.filename or "")
    except documents.AlreadyUploaded as repeat:
        return repeat.document, 200


@bp.post("/applications/<id:application_id>/submit")
@bp.response(200, schemas.SubmittedSchema, headers={"ETag": {"schema": {"type": "string"}}})
@operation(bp, *EXPORTER, scope="write", errors=WRITE_ERRORS)
def submit(user, application_id: int):
    """Submit a draft (or resubmit a returned application); send If-Match."""
    target = applications.get_application(user, application_id)
    if (refused := _stale(user, target)) is not None:
        return refused
    deadline = applications.submit_application(user, target, target.version)
    target = applications.get_application(user, application_id)
    body, _status, headers = _tagged(user, target)
    return {"application": body, "completeness_deadline": deadline}, 200, headers


@bp.post("/applications/<id:application_id>/withdraw")
@bp.arguments(schemas.WithdrawSchema)
@bp.response(200, schemas.ApplicationSchema, headers={"ETag": {"schema": {"type": "string"}}})
@operation(bp, *EXPORTER, scope="write", errors=WRITE_ERRORS)
def withdraw(user, data, application_id: int):
    """Withdraw the application for good (a reason is kept in the history); send If-Match."""
    target = applications.get_application(user, application_id)
    if (refused := _stale(user, target)) is not None:
        return refused
    applications.withdraw_application(user, target, data["comment"], target.version)
    return _tagged(user, applications.get_application(user, application_id))


@bp.get("/registrations")
@bp.arguments(schemas.RegistrationFilter, location="query")
@bp.response(200, schemas.page_of(schemas.RegistrationSchema))
@operation(bp, Role.exporter, Role.registrar)
def registration_list(user, args):
    """The registrations the user may see: an exporter its own, a registrar all (an export
    for GACC's and the ministry's systems). A category code that names none is refused (422),
    not answered with no rows, as by the public register."""
    register.check_filters(args["category"], None)
    return page(listings.registrations(user, after=args["cursor"], limit=args["limit"],
                                       status=args["status"], category=args["category"]))


@bp.get("/registrations/<id:registration_id>")
@bp.response(200, schemas.RegistrationSchema)
@operation(bp, Role.exporter, Role.registrar)
def registration(user, registration_id: int):
    """One registration."""
    return registrations.get_registration(user, registration_id)


def certificate_view(certificate) -> dict:
    """A certificate with its status as of today (never stored)."""
    return {"id": certificate.id, "number": certificate.number,
            "registration_id": certificate.registration_id, "issued_at": certificate.issued_at,
            "revoked_at": certificate.revoked_at,
            "status": certificates.certificate_status(certificate)}


@bp.get("/certificates")
@bp.arguments(schemas.CertificateFilter, location="query")
@bp.response(200, schemas.page_of(schemas.CertificateSchema))
@operation(bp, *EXPORTER)
def certificate_list(user, args):
    """The enterprise's certificates."""
    result = listings.certificates(user, after=args["cursor"], limit=args["limit"],
                                   registration_id=args["registration_id"])
    return {"items": [certificate_view(c) for c in result.items],
            "next_cursor": schemas.encode_cursor(result.next_after)}


@bp.get("/certificates/<id:certificate_id>")
@bp.response(200, schemas.CertificateSchema)
@operation(bp, *EXPORTER)
def certificate(user, certificate_id: int):
    """One certificate."""
    return certificate_view(certificates.get_certificate(user, certificate_id))


@bp.get("/certificates/<id:certificate_id>/pdf")
@bp.response(200, {"type": "string", "format": "binary"}, content_type="application/pdf")
@operation(bp, *EXPORTER, errors=PDF_ERRORS)
def certificate_pdf(user, certificate_id: int):
    """The PDF issued with the certificate, exactly as stored."""
    found = certificates.get_certificate(user, certificate_id)
    pdf = certificates.stored_pdf(found)
    if pdf is None:
        return pdf_preparing()
    return stored_pdf_response(pdf, f"{found.number}.pdf")
