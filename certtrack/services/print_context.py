"""Plain contexts for the printed documents: the issuing authorities and the certificate's data."""

import datetime as dt
import json
from pathlib import Path
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import or_, select

from certtrack.extensions import db
from certtrack.models import Application, Registration
from certtrack.services import print_terms

LANGUAGES = ("kk", "ru", "en", "zh")
# The issuing authorities, defined once in the reference data (also read by the demo documents).
_AUTHORITIES = json.loads((Path(__file__).resolve().parent.parent / "reference"
                           / "authorities.json").read_text(encoding="utf-8"))
MINISTRY: dict[str, str] = _AUTHORITIES["ministry"]
# The committee that inspects a GACC category (docs/domain.md §2), by GaccCategory.committee.
COMMITTEES: dict[str, dict[str, str]] = _AUTHORITIES["committees"]
OFFICE: dict = _AUTHORITIES["office"]
# The version of the certificate's JSON (docs/schemas/certificate.schema.json): raised when a
# key changes meaning or is removed, so that a reader of an older document knows its shape.
CERTIFICATE_SCHEMA_VERSION = 2


def names(row, prefix: str = "name") -> dict:
    """A row's names (name_kk, name_ru, name_en, name_zh) as a Names dict, empty ones left out;
    another `prefix` reads another multilingual field (address_kk, ...)."""
    found = {lang: getattr(row, f"{prefix}_{lang}", "") or "" for lang in LANGUAGES}
    return {lang: value.strip() for lang, value in found.items() if value.strip()}


def authority(committee: str | None) -> dict:
    """The issuing authority of a committee: its names and its ministry's, its address, contact
    and place of issue. No committee (a batch spanning both): the ministry itself."""
    if committee in COMMITTEES:
        name, parent = dict(COMMITTEES[committee]), dict(MINISTRY)
    else:
        name, parent = dict(MINISTRY), {}
    return {"name": name, "parent": parent, "address": dict(OFFICE["address"]),
            "contact": OFFICE["contact"], "place": dict(OFFICE["place"])}


def local_time(moment: dt.datetime | None) -> dt.datetime | None:
    """A stored UTC time as the naive local time of Kazakhstan, for print."""
    if moment is None:
        return None
    zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    return moment.astimezone(zone).replace(tzinfo=None)


def current_application(registration: Registration) -> Application:
    """The application whose products the registration covers now: its latest registered
    renewal or accepted change (the later recorded), else the application that created it."""
    later = db.session.scalar(select(Application).where(
        or_(Application.renewal_of_id == registration.id,
            Application.change_of_id == registration.id), Application.state == "registered")
        .order_by(Application.state_changed_at.desc(), Application.id.desc()).limit(1))
    return later or registration.application


def products(application: Application) -> list[dict]:
    """The application's products with their HS codes, in the order they were added."""
    return [{"hs_code": line.product.hs_code, "name": names(line.product)}
            for line in application.products]


def _establishment(establishment) -> dict:
    return {"name": names(establishment), "address": names(establishment, "address"),
            "type": dict(print_terms.ESTABLISHMENT_TYPES.get(establishment.type, {})),
            "approval_number": establishment.kz_registration_number}


def certificate_context(registration: Registration, *, number: str, verification_url: str,
                        issued_on: dt.date, officer: dict, replaces: str | None = None) -> dict:
    """Take a registration, the issue's particulars and who signs (officials.signer); return
    a CertificateContext.

    Only plain values: names in every language given, dates as date. Changes nothing.
    """
    enterprise, establishment = registration.enterprise, registration.establishment
    category = registration.gacc_category
    context = {
        "schema_version": CERTIFICATE_SCHEMA_VERSION,
        "number": number, "verification_url": verification_url, "issued_on": issued_on,
        "valid_from": registration.valid_from, "valid_to": registration.valid_to,
        "listed_on": registration.listing_date,
        "legal_basis": dict(print_terms.LEGAL_BASES.get(registration.regime, {})),
        "exporting_country": dict(print_terms.EXPORTING_COUNTRY),
        "addressee": dict(print_terms.GACC),
        "enterprise": {"name": names(enterprise), "bin": enterprise.bin,
                       "legal_address": enterprise.address},
        "establishment": _establishment(establishment),
        "region": {"code": establishment.region_code, "name": names(establishment.region)},
        "category": {"code": category.code, "name": names(category)},
        "products": products(current_application(registration)),
        "china_registration_number": registration.china_number,
        "authority": authority(category.committee),
        "officer": officer,
    }
    if replaces:
        context["replaces"] = replaces
    return context
