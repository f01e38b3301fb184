"""Operations anyone may call without a token: certificate verification, the public register."""

from flask import request
from flask_babel import get_locale
from flask_babel import gettext as _

from certtrack.api import public_schemas as schemas
from certtrack.api.core import ApiBlueprint, public_operation
from certtrack.api.schemas import encode_cursor, page_of
from certtrack.domain.consignment import is_consignment_certificate_number
from certtrack.services import register, verification
from certtrack.services.consignments import status as consignment_status
from certtrack.services.errors import NotFound
from certtrack.services.list_rows import status_days
from certtrack.services.local_dates import local_day

bp = ApiBlueprint("public_api", __name__, url_prefix="/api/v1/public",
                  description="Certificate verification and the public register; no token.")


@bp.get("/verify")
@bp.arguments(schemas.VerifyArgs, location="query")
@bp.response(200, schemas.VerificationSchema)
@public_operation(bp)
def verify(args):
    """What the public may know of a certificate, by its number and verification code.

    An unknown number and a wrong code get the same 404; look-ups per address are throttled
    as on the verification page (429 with Retry-After).
    """
    if is_consignment_certificate_number(args["number"]):  # KZ-PC-…, KZ-VC-…: a shipment's
        return _consignment_certificate(args["number"], args["code"])
    answer = verification.verify(request.remote_addr, args["number"], args["code"], "api")
    if not answer.found:
        raise NotFound(_("There is nothing here, or you do not have access to it."))
    data, locale = answer.certificate.data, str(get_locale())
    return {"found": True, "kind": "registration", "number": answer.certificate.number,
            "status": answer.status, "issued_at": answer.certificate.issued_at.isoformat(),
            "issued_on": local_day(answer.certificate.issued_at),
            "authority": _named(data.get("authority", {}).get("name", {}), locale),
            "products": [{"hs_code": line["hs_code"], "name": _named(line["name"], locale),
                          "covered": line["hs_code"] not in answer.uncovered}
                         for line in data.get("products", [])],
            "enterprise": _named(data["enterprise"]["name"], locale),
            "china_number": data["china_registration_number"], "pdf_sha256": answer.sha256}


def _named(names: dict, locale: str) -> str:
    """A name of a certificate's data (by language) in the reader's language, else English."""
    return names.get(locale) or names.get("en") or next(iter(names.values()), "")


def _consignment_certificate(number: str, code: str) -> dict:
    """A phytosanitary or veterinary certificate's answer, with its registration's status
    today (a suspended registration's goods may be refused at the border)."""
    answer = consignment_status.verify_consignment_certificate(request.remote_addr, number,
                                                               code, "api")
    if not answer.found:
        raise NotFound(_("There is nothing here, or you do not have access to it."))
    certificate, locale = answer.certificate, str(get_locale())
    registration = certificate.registration
    authority = (certificate.context or {}).get("authority", {}).get("name", {})
    return {"found": True, "kind": certificate.kind, "number": certificate.number,
            "status": answer.status, "issued_at": certificate.issued_at.isoformat(),
            "issued_on": certificate.issued_on, "authority": _named(authority, locale),
            "products": [{"hs_code": line["hs_code"], "name": _named(line["product"], locale)}
                         for line in answer.goods],
            "enterprise": registration.enterprise.name_in(locale),
            "china_number": registration.china_number, "pdf_sha256": answer.sha256,
            "registration_status": answer.registration_status,
            "registration_status_at_issue": certificate.registration_status_at_issue,
            "cancelled_on": certificate.cancelled_on,
            "cancellation_ground": certificate.cancellation_ground}


def _entry(row, locale: str) -> dict:
    return {"enterprise": row.enterprise.name_in(locale), "bin": row.bin,
            "establishment": row.establishment.name_in(locale), "region_code": row.region_code,
            "gacc_category_code": row.gacc_category_code, "china_number": row.china_number,
            "valid_from": row.valid_from, "valid_to": row.valid_to, "status": row.status,
            "products": [{"hs_code": line.hs_code, "name": line.name_in(locale)}
                         for line in row.products],
            **dict(zip(("products_produced_from", "suspended_until"), status_days(row),
                       strict=True))}


@bp.get("/register")
@bp.arguments(schemas.RegisterArgs, location="query")
@bp.response(200, page_of(schemas.RegisterEntrySchema))
@public_operation(bp, errors=(400, 422, 429))
def register_page(args):
    """The register of establishments listed by GACC, in the page's order and filters: a
    category or region code that names none is refused (422), not answered with no rows. Keep
    `limit` from page to page: the cursor counts pages of that size."""
    register.check_filters(args["category"], args["region"])
    number = args["cursor"] or 1
    pagination = register.search_register(args["q"], args["category"], args["region"],
                                          page=number, per_page=args["limit"],
                                          product=args["product"])
    locale = str(get_locale())
    return {"items": [_entry(row, locale) for row in pagination.items],
            "next_cursor": encode_cursor(number + 1) if pagination.has_next else None}
