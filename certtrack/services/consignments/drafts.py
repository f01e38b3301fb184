"""The exporter's consignment requests: drafts, lots, submission and withdrawal (their
supporting documents: consignments/documents.py)."""

from datetime import date

from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from certtrack.domain.calendar import SLA_WORKING_DAYS
from certtrack.domain.consignment import (
    KIND_OF_COMMITTEE,
    SLA_SERVICE,
    CancellationGround,
    conveyance_enters_by,
    needs_storage_temperature,
)
from certtrack.domain.scripts import latin_or_chinese
from certtrack.domain.workflow import Role, check_state
from certtrack.extensions import db
from certtrack.models import (
    BorderCrossing,
    Consignment,
    ConsignmentLot,
    Product,
    Region,
    Registration,
    User,
)
from certtrack.models.base import utcnow
from certtrack.models.consignment import (
    CONVEYANCES,
    PACKAGE_KINDS,
    WEIGHT_UNITS,
)
from certtrack.services import creation_keys, market_access
from certtrack.services.applications import local_today
from certtrack.services.audit import record_event
from certtrack.services.consignments.access import inspectors_to_tell, require_owner
from certtrack.services.consignments.gate import (
    gate_refusals,
    registration_products,
    registration_refusal,
)
from certtrack.services.consignments.in_force import cancel_certificate_in_force
from certtrack.services.consignments.inputs import ConsignmentInput, LotInput
from certtrack.services.consignments.marks import missing_marks
from certtrack.services.consignments.workflow import apply_consignment_transition, check_version
from certtrack.services.errors import PermissionDenied, ValidationFailed
from certtrack.services.local_dates import LocalDate
from certtrack.services.notifications import link, notify
from certtrack.services.permissions import has_role
from certtrack.services.printed_names import unprintable
from certtrack.services.reference import working_calendar
from certtrack.services.transaction import transaction
from certtrack.services.withdrawals import withdrawal_reasons

# The header's rules that the web form checks too (to show them with its own errors), in
# one wording: the service remains the rule, for the API as for the form.
CONSIGNEE_SCRIPT = _l("Write the consignee in Latin or Chinese script, as the certificate "
                      "China's border reads prints it.")
ADDRESS_SCRIPT = _l("Write the address in Latin or Chinese script, as the certificate China's "
                    "border reads prints it.")
PRODUCTION_ORDER = _l("The last production day cannot be before the first.")
PRODUCTION_FUTURE = _l("A slaughter or production day cannot be after today: the goods are "
                       "produced before their certificate is requested.")
WEIGHT_ABOVE_ZERO = _l("Enter a weight greater than zero.")
WEIGHT_PLACES = _l("Enter at most 3 digits after the decimal point.")
GROSS_BELOW_NET = _l("The gross weight cannot be less than the net weight.")
CHOOSE_UNIT = _l("Choose a unit from the list.")
CHOOSE_PACKAGES = _l("Choose a kind of package from the list.")
PRINTED_SCRIPT = _l("Write it in Latin or Chinese script, as the certificate China's border "
                    "reads prints it: Kostanay for Қостанай, say.")
MARKS_SCRIPT = _l("Write the marks in Latin or Chinese script, as the certificate China's "
                  "border reads prints them: “Wagon 95123451, seal KZ 778812”, say.")

def _header_errors(actor: User, data: ConsignmentInput) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    registration = db.session.get(Registration, data.registration_id or 0)
    if registration is None or registration.enterprise_id != actor.enterprise_id:
        errors["registration_id"] = [_("Choose one of your China registrations.")]
    elif refusal := registration_refusal(registration):
        errors["registration_id"] = [refusal]
    errors.update(_consignee_errors(data))
    errors.update(_transport_errors(data))
    if db.session.get(Region, data.origin_region_code or "") is None:
        errors["origin_region_code"] = [_("Choose the region of origin.")]
    elif "registration_id" not in errors and (refusal := _region_refusal(
            registration, data.origin_region_code)):
        errors["origin_region_code"] = [refusal]
    errors.update(_production_errors(data))
    if not latin_or_chinese(data.place_of_origin or ""):
        errors["place_of_origin"] = [str(PRINTED_SCRIPT)]
    return errors


def _region_refusal(registration: Registration, region_code: str) -> str | None:
    """Why no product of the registration may go to China from the region (outside every
    protocol zone of its products), said with the header: a lot's product found it only
    once added, beside the product. None when one of them may."""
    refusals = [market_access.refusal(product, region_code)
                for product in registration_products(registration)]
    return refusals[0] if refusals and all(refusals) else None


def conveyance_refusal(conveyance: str, crossing_code: str) -> str | None:
    """Why the means of conveyance cannot enter China at the point of entry (a rail wagon at
    a road crossing), naming both; None when it can, or when either is unknown."""
    crossing = db.session.get(BorderCrossing, crossing_code or "")
    if crossing is None or conveyance_enters_by(conveyance, crossing.mode):
        return None
    name = crossing.name_in(str(get_locale() or "en"))
    if conveyance == "rail_wagon":
        return _("A rail wagon cannot enter China at %(crossing)s: it is a road crossing. "
                 "Choose a rail crossing, or a truck or a container.", crossing=name)
    return _("A truck cannot enter China at %(crossing)s: it is a rail crossing. Choose a road "
             "crossing, or a rail wagon or a container.", crossing=name)


def _transport_errors(data: ConsignmentInput) -> dict[str, list[str]]:
    """The means of conveyance and the point of entry: each from its list, and the one able
    to cross at the other (the crossings' modes are reference data)."""
    errors = {}
    if data.conveyance not in CONVEYANCES:
        errors["conveyance"] = [_("Choose a means of conveyance from the list.")]
    if db.session.get(BorderCrossing, data.crossing_code or "") is None:
        errors["crossing_code"] = [_("Choose a point of entry from the list.")]
    elif refusal := conveyance_refusal(data.conveyance, data.crossing_code):
        errors["conveyance"] = [refusal]
    return errors


def _production_errors(data: ConsignmentInput) -> dict[str, list[str]]:
    """The slaughter or production days: none after today in Kazakhstan (a slaughter day of
    next March left the inspector no day to test on), the last not before the first."""
    today = local_today()
    errors = {name: [str(PRODUCTION_FUTURE)] for name in ("production_from", "production_to")
              if getattr(data, name) is not None and getattr(data, name) > today}
    first, last = data.production_from, data.production_to
    if first and last and last < first and "production_to" not in errors:
        errors["production_to"] = [str(PRODUCTION_ORDER)]
    return errors


def _consignee_errors(data: ConsignmentInput) -> dict[str, list[str]]:
    """The consignee's name and address: given, and in a script the Chinese side reads."""
    errors = {}
    if not (data.consignee_name or "").strip():
        errors["consignee_name"] = [_("Give the consignee's name.")]
    elif not latin_or_chinese(data.consignee_name):
        errors["consignee_name"] = [str(CONSIGNEE_SCRIPT)]
    if not (data.consignee_address or "").strip():
        errors["consignee_address"] = [_("Give the consignee's address in China.")]
    elif not latin_or_chinese(data.consignee_address):
        errors["consignee_address"] = [str(ADDRESS_SCRIPT)]
    return errors


def _header_values(data: ConsignmentInput) -> dict:
    return {"consignee_name": data.consignee_name.strip(),
            "consignee_address": data.consignee_address.strip(), "conveyance": data.conveyance,
            "crossing_code": data.crossing_code, "origin_region_code": data.origin_region_code,
            "place_of_origin": (data.place_of_origin or "").strip(),
            "production_from": data.production_from, "production_to": data.production_to,
            "storage_temperature": data.storage_temperature}


def create_consignment(actor: User, data: ConsignmentInput,
                       key: str | None = None) -> Consignment:
    """Start a draft consignment under one of the exporter's registrations in force. `key` is
    the request form's one-time key (services.creation_keys), kept with the draft.

    :raise PermissionDenied: the actor has no enterprise.
    :raise ValidationFailed: every wrong entry at once (a registration not in force says why).
    :raise Conflict: a draft was created with the same key meanwhile (the form sent twice).
    """
    if not has_role(actor, Role.exporter) or actor.enterprise_id is None:
        raise PermissionDenied(_("Register your enterprise first."))
    if errors := _header_errors(actor, data):
        raise ValidationFailed(errors)
    registration = db.session.get(Registration, data.registration_id)
    category = registration.gacc_category
    with creation_keys.created_once("consignment", actor, key), transaction():
        consignment = Consignment(
            enterprise_id=actor.enterprise_id, registration_id=registration.id,
            gacc_category_code=category.code, region_code=registration.establishment.region_code,
            kind=KIND_OF_COMMITTEE[category.committee].value, state="draft",
            created_by_id=actor.id, creation_key=creation_keys.usable(key),
            **_header_values(data))
        db.session.add(consignment)
        db.session.flush()
        record_event(actor, "consignment_created", object_type="consignment",
                     object_id=consignment.id, to_state="draft",
                     data={"registration": registration.china_number})
    return consignment


def require_draft(consignment: Consignment, step: str) -> None:
    """:raise IllegalTransition: the consignment is past its draft (409)."""
    check_state(consignment.state, ("draft",), step)


def update_consignment(actor: User, consignment: Consignment, data: ConsignmentInput) -> None:
    """Save a draft's header; the registration stays the one it was started under.

    :raise ValidationFailed / IllegalTransition (past its draft) / Conflict (version).
    """
    require_owner(actor, consignment)
    require_draft(consignment, "edit")
    data = ConsignmentInput(**{**data.__dict__, "registration_id": consignment.registration_id})
    if errors := _header_errors(actor, data):
        raise ValidationFailed(errors)
    check_version(consignment, data.version)
    with transaction():
        changed = {}  # what a correction's inspector reads as changed (consignments.changes)
        for field, value in _header_values(data).items():
            before = getattr(consignment, field)
            if before != value:
                changed[field] = [_text(before), _text(value)]
            setattr(consignment, field, value)
        consignment.updated_at = utcnow()
        record_event(actor, "consignment_updated", object_type="consignment",
                     object_id=consignment.id, data={"changed": changed} if changed else None)


def _text(value) -> str:
    """An entry as the audit row keeps it: a date in ISO, nothing as ""."""
    return "" if value is None else value.isoformat() if hasattr(value, "isoformat") else str(value)


def _weight_errors(data: LotInput) -> dict[str, list[str]]:
    """The weights: above zero, the gross not under the net, and to three decimals at most,
    as they are stored (a gram of a kilogram): "0.0000001 t" was kept, and shown, as 0."""
    errors = {}
    for name in ("net_weight", "gross_weight"):
        value = getattr(data, name)
        if value is not None and value.is_finite() and value.as_tuple().exponent < -3:
            errors[name] = [str(WEIGHT_PLACES)]
    if errors:
        return errors
    if data.net_weight is None or data.net_weight <= 0:
        return {"net_weight": [str(WEIGHT_ABOVE_ZERO)]}
    if data.gross_weight is None or data.gross_weight < data.net_weight:
        return {"gross_weight": [str(GROSS_BELOW_NET)]}
    return {}


def _lot_errors(consignment: Consignment, data: LotInput) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    codes = {p.code for p in registration_products(consignment.registration)}
    if data.product_code not in codes:
        errors["product_code"] = [_("Choose a product the registration covers.")]
    elif refusal := market_access.refusal(db.session.get(Product, data.product_code),
                                          consignment.origin_region_code):
        errors["product_code"] = [refusal]
    if data.weight_unit not in WEIGHT_UNITS:
        errors["weight_unit"] = [str(CHOOSE_UNIT)]
    if data.packages_kind not in PACKAGE_KINDS:
        errors["packages_kind"] = [str(CHOOSE_PACKAGES)]
    errors.update(_weight_errors(data))
    if data.packages_number is None or data.packages_number < 1:
        errors["packages_number"] = [_("Enter the number of packages (1 for bulk).")]
    if not latin_or_chinese(data.marks or ""):
        errors["marks"] = [str(MARKS_SCRIPT)]
    return errors


def add_lot(actor: User, consignment: Consignment, data: LotInput,
            key: str | None = None) -> ConsignmentLot:
    """Add a product line to a draft: a product of the registration, quantities and marks.
    `key` is the lot form's one-time key (services.creation_keys), kept with the lot.

    :raise ValidationFailed: another product, bad weights or package entries, or a product
        China does not accept (no protocol; meat from a region outside the accepted zones).
    :raise Conflict: a lot was added with the same key meanwhile (the form sent twice).
    """
    require_owner(actor, consignment)
    require_draft(consignment, "add_lot")
    if errors := _lot_errors(consignment, data):
        raise ValidationFailed(errors)
    lot = ConsignmentLot(**{**data.__dict__, "marks": (data.marks or "").strip()},
                         creation_key=creation_keys.usable(key))
    with creation_keys.created_once("lot", actor, key, consignment), transaction():
        consignment.lots.append(lot)
        consignment.updated_at = utcnow()  # its lots are the consignment's: a new version
        record_event(actor, "consignment_lot_added", object_type="consignment",
                     object_id=consignment.id, data={
                         "product": lot.product_code, "net_weight": str(lot.net_weight),
                         "unit": lot.weight_unit, "marks": lot.marks})
    return lot


def remove_lot(actor: User, consignment: Consignment, lot_id: int) -> None:
    """Remove a product line from a draft, with an audit row naming what it declared.

    :raise ValidationFailed: not a line of this draft (removed from a page open in another tab).
    """
    require_owner(actor, consignment)
    require_draft(consignment, "remove_lot")
    lot = next((lot for lot in consignment.lots if lot.id == lot_id), None)
    if lot is None:
        raise ValidationFailed({"": [_("This lot is no longer on the draft: it was removed, "
                                       "in another window or tab perhaps.")]})
    with transaction():
        consignment.lots.remove(lot)
        consignment.updated_at = utcnow()
        record_event(actor, "consignment_lot_removed", object_type="consignment",
                     object_id=consignment.id, data={
                         "product": lot.product_code, "net_weight": str(lot.net_weight),
                         "unit": lot.weight_unit, "marks": lot.marks})


def missing_for_submission(consignment: Consignment) -> list[str]:
    """What the request still lacks, in words for the exporter: its certificate's entries,
    and the enterprise's and establishment's texts in a script China's border reads."""
    missing = []
    if not consignment.lots:
        missing.append(_("At least one lot with its product and quantities."))
    if consignment.kind == "vet" and consignment.production_from is None:
        missing.append(_("The slaughter or production date."))
    if unmarked := missing_marks(consignment):  # the border matches them with the goods
        missing.append(unmarked)
    if consignment.storage_temperature is None and needs_storage_temperature(
            consignment.kind, consignment.gacc_category_code):  # honey is kept at ambient
        missing.append(_("The storage temperature."))
    return missing + unprintable(consignment.enterprise, consignment.registration.establishment)


def deadline_for(consignment: Consignment, received: date) -> date:
    """The certificate's service-level deadline: 5 working days for a phytosanitary
    certificate, 2 for a veterinary one, counted from the day of submission."""
    return working_calendar().sla_deadline(received, SLA_SERVICE[consignment.kind])


def submit_consignment(actor: User, consignment: Consignment, version=None) -> date:
    """Submit a draft to the inspection; return the deadline for the certificate.

    :raise ValidationFailed: something is missing, or the gate refuses (registration not in
        force for the category, no market access, region of origin outside China's zones).
    :raise IllegalTransition / Conflict.
    """
    require_owner(actor, consignment)
    check_version(consignment, version)
    problems = missing_for_submission(consignment) + gate_refusals(consignment)
    if problems:
        raise ValidationFailed({"": problems}, _("The consignment cannot be submitted."))
    today = local_today()
    deadline = deadline_for(consignment, today)
    with transaction():
        apply_consignment_transition(actor, consignment, "submit", values={
            "submitted_at": utcnow(), "submitted_on": today, "deadline": deadline},
            data={"deadline": deadline.isoformat(),
                  "working_days": SLA_WORKING_DAYS[SLA_SERVICE[consignment.kind]]})
        notify(inspectors_to_tell(consignment), "submitted",
               _l("Consignment %(ref)s was submitted for its certificate, due by %(date)s.",
                  ref=consignment.reference, date=LocalDate(deadline)),
               link("consignment_inspection.detail", consignment_id=consignment.id))
    return deadline


def withdrawal_reason(consignment: Consignment) -> str:
    """The reason the exporter gave for withdrawing the consignment, as its audit row keeps
    it ("" while it is not withdrawn, or for a draft withdrawn without one)."""
    return withdrawal_reasons("consignment", [consignment]).get(consignment.id, "")


def withdraw_consignment(actor: User, consignment: Consignment, comment: str = "",
                         version=None) -> None:
    """Withdraw a draft or a submitted consignment (terminal; a reason once submitted). A
    corrected one's certificate in force is cancelled: its goods do not leave. Its public page
    says the exporter withdrew the consignment, not the exporter's words."""
    require_owner(actor, consignment)
    check_version(consignment, version)
    with transaction():
        apply_consignment_transition(actor, consignment, "withdraw", comment=comment,
                                     values={"deadline": None, "correction_reason": ""})
        # The exporter's reason stays in the audit row; the public page says who cancelled.
        cancel_certificate_in_force(consignment, "", CancellationGround.withdrawn)
