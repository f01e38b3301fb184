"""An exporter's enterprise profile and its establishments."""

import re

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from certtrack.domain.identifiers import IdentifierError, validate_bin
from certtrack.domain.scripts import changed_in_part, latin, latin_or_chinese
from certtrack.domain.workflow import TERMINAL_STATES, Role, State
from certtrack.extensions import db
from certtrack.models import Application, Enterprise, Establishment, NameChangeRequest, Region, User
from certtrack.models.enterprise import ESTABLISHMENT_TYPES, LEGAL_FORMS
from certtrack.services import creation_keys, name_changes
from certtrack.services.audit import record_event
from certtrack.services.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from certtrack.services.inputs import EnterpriseInput, EstablishmentInput
from certtrack.services.officials import language_errors
from certtrack.services.permissions import has_role, require_exporter
from certtrack.services.printed_names import dossier_script_errors
from certtrack.services.transaction import stale_message, transaction

ENTERPRISE_FIELDS = ("name_en", "name_kk", "name_ru", "name_zh", "legal_form",
                     "legal_representative", "region_code", "address", "phone", "email")
ESTABLISHMENT_NAMES = ("name", "name_ru", "name_en", "name_zh",
                       "address", "address_ru", "address_en", "address_zh")
REGISTERED_AS = ("type", "region_code", "kz_registration_number")
OPEN_TO_MOVES = (State.draft, State.submitted, State.returned)  # nothing checked on site yet
ADDRESSES = ("address", "address_ru", "address_en", "address_zh")
ESTABLISHMENT_FIELDS = (*ESTABLISHMENT_NAMES, "type", "region_code", "kz_registration_number")


# A phone number as people write it: digits (7 to 15, as E.164 allows), an optional leading +,
# spaces, hyphens and brackets between them.
PHONE = re.compile(r"\+?(?:[ ()\-]*\d){7,15}[ ()\-]*")
# One wording, that the web form shows with its own errors too (the service remains the rule).
PHONE_MESSAGE = _l("Enter a phone number of 7 to 15 digits, e.g. +7 7152 555 202.")
# A Kazakh registration or accounting number as its authority issues it: letters, digits and
# separators, with a digit ("x" was taken, and would void nothing when it changed).
KZ_NUMBER = re.compile(r"(?=.*\d)[\w№][\w ./№-]{2,63}")
KZ_NUMBER_MESSAGE = _l("Enter the number as the Kazakh authority issued it, with its digits, "
                       "e.g. KZ-11-ELV-0007.")


def _check_version(obj, version) -> None:
    if version not in (None, "") and str(obj.version) != str(version):
        raise Conflict(stale_message())


# The texts of the enterprise that the certificates China's border reads print as they are.
LEGAL_ADDRESS_SCRIPT = _l("Write the legal address in Latin or Chinese script, as the "
                          "certificates China's border reads print it: Kostanay, "
                          "Baimagambetov Street 175, say.")
ENGLISH_NAME_SCRIPT = _l("Write the legal name in English in Latin letters, as the "
                         "certificates China's border reads print it.")


def _printed_errors(data: EnterpriseInput) -> dict[str, list[str]]:
    """The legal name in English and the legal address: in the scripts China's border reads;
    the legal representative, whom the dossier to GACC names: in Latin or Chinese script; the
    other legal names in their language's script, as an establishment's are."""
    errors = dossier_script_errors(legal_representative=data.legal_representative)
    errors |= language_errors({field: (getattr(data, field) or "").strip()
                               for field in ("name_kk", "name_ru", "name_zh")}, ())
    if (data.name_en or "").strip() and not latin(data.name_en):
        errors["name_en"] = [str(ENGLISH_NAME_SCRIPT)]
    if (data.address or "").strip() and not latin_or_chinese(data.address):
        errors["address"] = [str(LEGAL_ADDRESS_SCRIPT)]
    return errors


def script_errors(values: dict[str, str], establishment: bool) -> dict[str, list[str]]:
    """Take an enterprise's or an establishment's fields as typed; return those written in a
    script their language does not take, as the services would refuse them: asked by a form
    its other fields failed, so that every mistake is said at once. Changes nothing."""
    if establishment:
        return language_errors({field: (values.get(field) or "").strip()
                                for field in ESTABLISHMENT_NAMES}, ())
    return _printed_errors(EnterpriseInput.from_mapping(values))


def _common_errors(data: EnterpriseInput | EstablishmentInput) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if db.session.get(Region, data.region_code or "") is None:
        errors["region_code"] = [_("Choose a region from the list.")]
    phone = (getattr(data, "phone", "") or "").strip()
    if phone and PHONE.fullmatch(phone) is None:
        errors["phone"] = [str(PHONE_MESSAGE)]
    return errors


def own_enterprise(actor: User) -> Enterprise | None:
    """The enterprise the exporter is bound to, or None before it is registered."""
    if not has_role(actor, Role.exporter) or actor.enterprise_id is None:
        return None
    return db.session.get(Enterprise, actor.enterprise_id)


def register_enterprise(actor: User, data: EnterpriseInput) -> Enterprise:
    """Register the exporter's enterprise and bind the account to it.

    :raise PermissionDenied: the actor is not an exporter or already has an enterprise.
    :raise ValidationFailed: invalid or already registered BIN, unknown region or legal form.
    """
    require_exporter(actor)
    if actor.enterprise_id is not None:
        raise PermissionDenied(_("Your account already has an enterprise."))
    errors = {**_common_errors(data), **_printed_errors(data)}
    if data.legal_form not in LEGAL_FORMS:
        errors["legal_form"] = [_("Choose a legal form from the list.")]
    try:
        bin_ = validate_bin(data.bin or "")
    except IdentifierError:
        errors["bin"] = [_("This BIN is not valid.")]
    else:
        if db.session.scalar(select(Enterprise.id).where(Enterprise.bin == bin_)):
            errors["bin"] = [_("An enterprise with this BIN is already registered.")]
    if errors:
        raise ValidationFailed(errors)
    with transaction():
        enterprise = Enterprise(bin=bin_, **{f: getattr(data, f) or "" for f in ENTERPRISE_FIELDS})
        db.session.add(enterprise)
        db.session.flush()
        actor.enterprise_id = enterprise.id
        record_event(actor, "enterprise_registered", object_type="enterprise",
                     object_id=enterprise.id, data={"bin": bin_, "name_en": enterprise.name_en})
    return enterprise


def update_enterprise(actor: User, enterprise: Enterprise,
                      data: EnterpriseInput) -> NameChangeRequest | None:
    """Change the profile (the BIN stays); `data.version` guards against stale edits. A new
    name or legal address of an enterprise holding a registration waits for the registrar:
    the request returned (None when everything changed now).

    :raise Conflict: someone saved the profile since the form was loaded.
    :raise ValidationFailed: unknown region or legal form.
    """
    require_exporter(actor)
    if enterprise.id != actor.enterprise_id:
        raise NotFound(_("No such enterprise."))
    errors = {**_common_errors(data), **_printed_errors(data),
              **_representative_errors(enterprise, data)}
    if data.legal_form not in LEGAL_FORMS:
        errors["legal_form"] = [_("Choose a legal form from the list.")]
    if errors:
        raise ValidationFailed(errors)
    _check_version(enterprise, data.version)
    with transaction():
        changed = {f: getattr(data, f) or "" for f in ENTERPRISE_FIELDS
                   if getattr(enterprise, f) != (getattr(data, f) or "")}
        held = {f: getattr(data, f) or "" for f in name_changes.ENTERPRISE_HELD}
        request = name_changes.hold_back(actor, enterprise, None, held)
        if request is not None:
            changed = {f: v for f, v in changed.items() if f not in held}
        for field, value in changed.items():
            setattr(enterprise, field, value)
        record_event(actor, "enterprise_updated", object_type="enterprise",
                     object_id=enterprise.id, data={"fields": sorted(changed)})
    return request


def _representative_errors(enterprise: Enterprise, data: EnterpriseInput) -> dict:
    """A new legal representative voids the China registrations in force (docs/domain.md §4):
    not changed by the exporter alone, as a move of an establishment is not."""
    if (data.legal_representative or "").strip() == enterprise.legal_representative.strip() or \
            not name_changes.holds_registration(enterprise, None):
        return {}
    return {"legal_representative": [_(
        "The enterprise is registered in China with this legal representative: a new one voids "
        "the China registration, and a new application is needed. Ask the registrar.")]}


def get_establishment(actor: User, establishment_id: int) -> Establishment:
    """One of the exporter's own establishments.

    :raise NotFound: unknown, or another enterprise's (never 403, so ids cannot be probed).
    """
    establishment = db.session.get(Establishment, establishment_id)
    if establishment is None or establishment.enterprise_id != actor.enterprise_id:
        raise NotFound(_("No such establishment."))
    return establishment


def _establishment_errors(data: EstablishmentInput) -> dict[str, list[str]]:
    """Kazakh name and address required, every other language optional but in its script
    (English in Latin letters). The English ones, which the certificates China's border reads
    print, are required before a consignment is submitted (services.printed_names)."""
    errors = language_errors({field: (getattr(data, field) or "").strip()
                              for field in ESTABLISHMENT_NAMES}, ("name", "address"))
    errors.update(_common_errors(data))
    if data.type not in ESTABLISHMENT_TYPES:
        errors["type"] = [_("Choose a type from the list.")]
    number = (data.kz_registration_number or "").strip()
    if number and not KZ_NUMBER.fullmatch(number):
        errors.setdefault("kz_registration_number", [str(KZ_NUMBER_MESSAGE)])
    return errors


def _address_errors(establishment: Establishment,
                    data: EstablishmentInput) -> dict[str, list[str]]:
    """An address changed in some languages and kept in others is confirmed by the exporter:
    a move changes every line, and the certificate prints each line given."""
    if data.address_in_part:
        return {}
    addresses = {f: (getattr(data, f) or "").strip() for f in ADDRESSES}
    if not changed_in_part(addresses, {f: getattr(establishment, f) or "" for f in ADDRESSES},
                           new_lines=False):
        return {}
    return {"address_in_part": [_(
        "The address changed in some languages only: the certificate would print the new "
        "address beside the old one in the other languages. Change it in every language, or "
        "tick the box if only the spelling is corrected.")]}


def _registered_errors(establishment: Establishment,
                       data: EstablishmentInput) -> dict[str, list[str]]:
    """What an establishment registered in China cannot change on its own: GACC listed it by
    its type, region and Kazakh registration number, and a new Kazakh number or a relocation
    voids the China registration (a new application is needed). Nor can one whose application
    is under way (OPEN_TO_MOVES aside): its inspection and its request to GACC are of the
    establishment as it is."""
    changed = [field for field in REGISTERED_AS
               if (getattr(data, field) or "").strip() != (getattr(establishment, field) or "")]
    if not changed:
        return {}
    if name_changes.holds_registration(establishment.enterprise, establishment):
        return {field: [_("The establishment is registered in China with this value: a new "
                          "Kazakh registration number or a move voids the China registration, "
                          "and a change of type needs an application of the kind “Change”. "
                          "Ask the registrar.")] for field in changed}
    if (reference := _application_under_way(establishment)) is not None:
        return {field: [_("Application %(reference)s is under way with this value: its "
                          "check, its inspection and its request to GACC are of the "
                          "establishment as it is. Change it once the application is decided, "
                          "or withdraw the application first.", reference=reference)]
                for field in changed}
    return {}


def _application_under_way(establishment: Establishment) -> str | None:
    """The reference of an application for the establishment whose check has begun and that
    is not yet decided (a draft, or one waiting for its check, moves with the establishment)."""
    application = db.session.scalar(select(Application).where(
        Application.establishment_id == establishment.id,
        Application.state.not_in([*OPEN_TO_MOVES, *TERMINAL_STATES]))
        .order_by(Application.id).limit(1))
    return application.reference if application is not None else None


def _english_kept_errors(establishment: Establishment,
                         data: EstablishmentInput) -> dict[str, list[str]]:
    """A registered establishment keeps its name and address in English: its consignments'
    certificates print them, and none is submitted without them (services.printed_names)."""
    removed = [field for field in ("name_en", "address_en")
               if getattr(establishment, field) and not (getattr(data, field) or "").strip()]
    if not removed or not name_changes.holds_registration(establishment.enterprise,
                                                          establishment):
        return {}
    return {field: [_("The certificates of this establishment’s consignments print this in "
                      "English: correct it rather than remove it.")] for field in removed}


def add_establishment(actor: User, data: EstablishmentInput,
                      key: str | None = None) -> Establishment:
    """Add an establishment to the exporter's enterprise. `key` is the form's one-time key
    (services.creation_keys), kept with the establishment.

    :raise PermissionDenied: no enterprise registered yet.
    :raise ValidationFailed: unknown type or region; no Kazakh name or address, or a name or
        address in another script than its language's.
    :raise Conflict: an establishment was added with the same key meanwhile (sent twice).
    """
    require_exporter(actor)
    if actor.enterprise_id is None:
        raise PermissionDenied(_("Register your enterprise first."))
    if errors := _establishment_errors(data):
        raise ValidationFailed(errors)
    with creation_keys.created_once("establishment", actor, key), transaction():
        establishment = Establishment(
            enterprise_id=actor.enterprise_id, creation_key=creation_keys.usable(key),
            **{f: (getattr(data, f) or "").strip() for f in ESTABLISHMENT_FIELDS},
        )
        db.session.add(establishment)
        db.session.flush()
        record_event(actor, "establishment_added", object_type="establishment",
                     object_id=establishment.id, data={"name": establishment.name})
    return establishment


def update_establishment(actor: User, establishment: Establishment,
                         data: EstablishmentInput) -> NameChangeRequest | None:
    """Change an establishment; `data.version` guards against stale edits. A new name or
    address of a registered establishment waits for the registrar: the request returned.

    A new region moves the establishment's applications with it, to the inspectors of that
    region, in the same transaction.
    :raise Conflict: saved by someone else since the form was loaded.
    :raise ValidationFailed: unknown type or region; no Kazakh name or address, or a name or
        address in another script than its language's; the English name or address of a
        registered establishment removed.
    """
    require_exporter(actor)
    if establishment.enterprise_id != actor.enterprise_id:
        raise NotFound(_("No such establishment."))
    if errors := {**_establishment_errors(data), **_address_errors(establishment, data),
                  **_registered_errors(establishment, data),
                  **_english_kept_errors(establishment, data)}:
        raise ValidationFailed(errors)
    _check_version(establishment, data.version)
    with transaction():
        previous_region = establishment.region_code
        fields = ESTABLISHMENT_FIELDS
        request = name_changes.hold_back(actor, establishment.enterprise, establishment, {
            field: (getattr(data, field) or "").strip()
            for field in name_changes.ESTABLISHMENT_HELD})
        if request is not None:
            fields = tuple(f for f in fields if f not in name_changes.ESTABLISHMENT_HELD)
        for field in fields:
            setattr(establishment, field, (getattr(data, field) or "").strip())
        if establishment.region_code != previous_region:
            _move_applications(establishment)
        record_event(actor, "establishment_updated", object_type="establishment",
                     object_id=establishment.id)
    return request


def _move_applications(establishment: Establishment) -> None:
    """File the establishment's applications under its region (Application.region_code).

    The establishment's row is written first: its lock makes an application being created for
    it meanwhile wait, then read the new region (services.applications.establishment_region).
    The copy is derived data: the applications' version and updated_at stay as they were, so
    an exporter's open form of one of them is not made stale by it.
    """
    db.session.flush()
    db.session.execute(
        update(Application).where(Application.establishment_id == establishment.id)
        .values(region_code=establishment.region_code, updated_at=Application.updated_at))
