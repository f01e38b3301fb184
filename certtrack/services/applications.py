"""An exporter's certification applications: drafts, product lines, submission, withdrawal."""

from dataclasses import dataclass
from datetime import date

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select, update

from certtrack.domain.calendar import SLA_WORKING_DAYS
from certtrack.domain.vocabulary import volume_units
from certtrack.domain.workflow import TERMINAL_STATES, Role, State, check_state, check_transition
from certtrack.extensions import db
from certtrack.models import (
    Application,
    ApplicationProduct,
    AuditEvent,
    Document,
    DocumentType,
    Establishment,
    GaccCategory,
    Product,
    RequiredDocument,
    User,
)
from certtrack.models.application import HACCP_STATUSES, KINDS, VOLUME_UNITS, WATER_SOURCES
from certtrack.models.base import utcnow
from certtrack.services import creation_keys, market_access, pagination, reasons
from certtrack.services.application_kinds import (
    covered_lines,
    held_by_draft,
    kept_errors,
    kind_errors,
)
from certtrack.services.audit import record_event
from certtrack.services.corrections import resolve_open_requests
from certtrack.services.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from certtrack.services.inputs import ApplicationInput, ProductInput
from certtrack.services.list_rows import SORTS, application_rows
from certtrack.services.local_dates import format_day, format_moment, local_today
from certtrack.services.permissions import (
    application_scope,
    can_see_application,
    has_role,
    require_owner,
)
from certtrack.services.printed_names import questionnaire_script_errors
from certtrack.services.reference import working_calendar
from certtrack.services.transaction import stale_message, transaction

EDITABLE_STATES = (State.draft, State.returned)
QUESTIONNAIRE_FIELDS = ("haccp_status", "haccp_details", "traceability", "production_capacity",
                        "storage_capacity", "water_source", "staff_count",
                        "last_inspection_date", "last_inspection_authority")


def get_application(actor: User, application_id: int) -> Application:
    """An application the actor may see.

    :raise NotFound: unknown or outside the actor's scope (never 403, so ids cannot be probed).
    """
    application = db.session.get(Application, application_id)
    if application is None or not can_see_application(actor, application):
        raise NotFound(_("No such application."))
    return application


def list_applications(actor: User, *, state: str | None = None, sort: str = "updated",
                      page: int = 1, per_page: int | None = None, total: int | None = None):
    """One page of the applications the actor may see, newest first by default, as
    list_rows.ApplicationRow with their product lines: the count (unless `total` gives it),
    the page's ids, the rows and their products."""
    ids = application_scope(actor, select(Application.id))
    count = application_scope(actor, select(func.count()).select_from(Application))
    if state:
        ids, count = ids.where(Application.state == state), count.where(Application.state == state)
    count = count if total is None else total
    ids = ids.order_by(SORTS.get(sort, SORTS["updated"]), Application.id.desc())
    page_of_ids = pagination.paginate(ids, count, page=page,
                                      per_page=per_page or current_app.config["PER_PAGE"])
    page_of_ids.items = application_rows(page_of_ids.items, products=True)
    return page_of_ids


def count_by_state(actor: User) -> dict[str, int]:
    """How many applications the actor may see, per state."""
    query = application_scope(actor, select(Application.state, func.count()))
    return dict(db.session.execute(query.group_by(Application.state)).all())


def _require_editable(application: Application, step: str) -> None:
    """:raise IllegalTransition: the application is no longer a draft or returned (409)."""
    check_state(application.state, EDITABLE_STATES, step)


def establishment_region(establishment_id: int) -> str:
    """Take an establishment's id; return its region, which an application of it is filed under.

    Read under a shared row lock (PostgreSQL; SQLite writes one at a time anyway): a change of
    the establishment's region made meanwhile waits for this transaction, then moves the
    application written here with the others (services.enterprises.update_establishment).
    """
    return db.session.scalar(select(Establishment.region_code)
                             .where(Establishment.id == establishment_id)
                             .with_for_update(read=True))


def _application_errors(actor: User, data: ApplicationInput,
                        renewal: Application | None = None) -> dict[str, list[str]]:
    errors = kept_errors(data, renewal)
    checks = (("kind", KINDS), ("haccp_status", (*HACCP_STATUSES, None, "")),
              ("water_source", (*WATER_SOURCES, None, "")))
    for field, allowed in checks:
        if getattr(data, field) not in allowed:
            errors[field] = [_("Choose a value from the list.")]
    errors = kind_errors(data, renewal, local_today()) | errors
    errors.update(questionnaire_script_errors(data))
    establishment = db.session.get(Establishment, data.establishment_id or 0)
    if establishment is None or establishment.enterprise_id != actor.enterprise_id:
        errors["establishment_id"] = [_("Choose one of your establishments.")]
    if db.session.get(GaccCategory, data.gacc_category_code or "") is None:
        errors["gacc_category_code"] = [_("Choose a product category from the list.")]
    if data.last_inspection_date and data.last_inspection_date > local_today():
        errors["last_inspection_date"] = [_("The last official inspection is a past date: "
                                            "enter the day it took place.")]
    return errors


def _questionnaire(data: ApplicationInput) -> dict:
    values = {field: getattr(data, field) for field in QUESTIONNAIRE_FIELDS}
    for field in ("haccp_details", "traceability", "last_inspection_authority"):
        values[field] = (values[field] or "").strip()
    for field in ("haccp_status", "water_source"):
        values[field] = values[field] or None
    return values


def create_application(actor: User, data: ApplicationInput,
                       key: str | None = None) -> Application:
    """Start a draft (a change with its registration's products); `key`: its one-time key.

    :raise PermissionDenied: the actor has no enterprise.
    :raise ValidationFailed: unknown kind, category, or an establishment not the actor's.
    :raise Conflict: a draft was created with the same key meanwhile (the form sent twice).
    """
    if not has_role(actor, Role.exporter) or actor.enterprise_id is None:
        raise PermissionDenied(_("Register your enterprise first."))
    if errors := _application_errors(actor, data):
        raise ValidationFailed(errors)
    with creation_keys.created_once("application", actor, key), transaction():
        application = Application(
            enterprise_id=actor.enterprise_id, establishment_id=data.establishment_id,
            region_code=establishment_region(data.establishment_id), kind=data.kind,
            gacc_category_code=data.gacc_category_code, state=State.draft.value,
            created_by_id=actor.id, creation_key=creation_keys.usable(key),
            **_questionnaire(data))
        application.products = covered_lines(application)
        db.session.add(application)
        db.session.flush()
        record_event(actor, "application_created", object_type="application",
                     object_id=application.id, application_id=application.id,
                     to_state=State.draft.value)
    return application


def update_application(actor: User, application: Application, data: ApplicationInput) -> None:
    """Save the draft's fields; changing the category drops products of the old category.

    :raise IllegalTransition: the application is no longer a draft or returned.
    :raise Conflict: saved by someone else since the form was loaded.
    :raise ValidationFailed: as for create_application().
    """
    require_owner(actor, application)
    _require_editable(application, "edit")
    if errors := _application_errors(actor, data, renewal=application):
        raise ValidationFailed(errors)
    _check_version(application, data.version)
    with transaction():
        application.kind = data.kind
        application.establishment_id = data.establishment_id
        application.region_code = establishment_region(data.establishment_id)
        if application.gacc_category_code != data.gacc_category_code:
            application.gacc_category_code = data.gacc_category_code
            application.products = [line for line in application.products if
                                    line.product.gacc_category_code == data.gacc_category_code]
        for field, value in _questionnaire(data).items():
            setattr(application, field, value)
        application.products = application.products or covered_lines(application)
        record_event(actor, "application_updated", object_type="application",
                     object_id=application.id, application_id=application.id)


def add_product(actor: User, application: Application, data: ProductInput) -> ApplicationProduct:
    """Add a catalogue product with its annual volume to a draft.

    :raise ValidationFailed: unknown product, other category, duplicate, no volume, bad unit.
    """
    require_owner(actor, application)
    _require_editable(application, "add_product")
    product = db.session.get(Product, data.product_code or "")
    errors: dict[str, list[str]] = {}
    if product is None or product.gacc_category_code != application.gacc_category_code:
        errors["product_code"] = [_("Choose a product of the application's category.")]
    elif any(line.product_code == product.code for line in application.products):
        errors["product_code"] = [_("This product is already in the application.")]
    elif refusal := market_access.refusal(product):
        errors["product_code"] = [refusal]
    if data.annual_volume is None or data.annual_volume <= 0:  # the API rounds to 0.001
        errors["annual_volume"] = [_("Enter a volume greater than zero.")]
    if data.volume_unit not in VOLUME_UNITS:
        errors["volume_unit"] = [_("Choose a unit from the list.")]
    elif data.volume_unit not in volume_units(application.gacc_category_code):
        errors["volume_unit"] = [_("Head counts animals slaughtered for meat: give this "
                                   "product's volume in tonnes or kilograms.")]
    if errors:
        raise ValidationFailed(errors)
    with transaction():
        line = ApplicationProduct(product_code=product.code, annual_volume=data.annual_volume,
                                  volume_unit=data.volume_unit)
        application.products.append(line)
        application.updated_at = utcnow()  # its products are the application's: a new version
        record_event(actor, "product_added", object_type="application",
                     object_id=application.id, application_id=application.id,
                     data={"product": product.code, "hs_code": product.hs_code})
    return line


def remove_product(actor: User, application: Application, line_id: int) -> None:
    """Remove a product line from a draft.

    :raise ValidationFailed: the line is not part of this application (removed already).
    """
    require_owner(actor, application)
    _require_editable(application, "remove_product")
    line = next((line for line in application.products if line.id == line_id), None)
    if line is None:
        raise ValidationFailed({"": [_("This product is no longer on the application: it was "
                                       "removed, in another window or tab perhaps.")]})
    with transaction():
        application.products.remove(line)
        application.updated_at = utcnow()
        record_event(actor, "product_removed", object_type="application",
                     object_id=application.id, application_id=application.id,
                     data={"product": line.product_code})


def required_document_types(application: Application) -> list[DocumentType]:
    """The document types this application's category and kind require (Decree 248, Art. 8)."""
    query = (
        select(DocumentType)
        .join(RequiredDocument, RequiredDocument.document_type_code == DocumentType.code)
        .where(RequiredDocument.gacc_category.in_(("*", application.gacc_category_code)),
               RequiredDocument.kind.in_(("*", application.kind)))
        .distinct()
        .order_by(DocumentType.code)
    )
    return list(db.session.scalars(query))


def latest_documents(application: Application) -> dict[str, Document]:
    """The newest version of each document type uploaded for the application."""
    ordered = sorted(application.documents, key=lambda document: document.version)
    return {document.document_type_code: document for document in ordered}


@dataclass(frozen=True)
class MissingItem:
    """One thing that stops a submission: `kind` says where it is fixed (product,
    questionnaire, document), `code` which field or document type, `message` in words."""

    kind: str
    code: str
    message: str


def missing_for_submission(application: Application, locale: str = "en") -> list[MissingItem]:
    """Everything that stops the application from being submitted, each with where it is
    fixed and in words for the user."""
    missing = []
    if not application.products:
        missing.append(MissingItem("product", "", _("At least one product with its annual "
                                                    "volume.")))
    missing.extend(MissingItem("product", line.product_code, refusal)  # access ended since
                   for line in application.products  # the line was added, or was copied
                   if (refusal := market_access.refusal(line.product)) is not None)
    labels = {"haccp_status": _("HACCP"), "traceability": _("Traceability procedure"),
              "production_capacity": _("Production capacity"), "water_source": _("Water source"),
              "staff_count": _("Staff")}
    for field, label in labels.items():
        if getattr(application, field) in (None, ""):
            missing.append(MissingItem("questionnaire", field,
                                       _("Questionnaire: %(field)s.", field=label)))
    uploaded = latest_documents(application)
    for document_type in required_document_types(application):
        if document_type.code not in uploaded or \
                uploaded[document_type.code].review_status == "rejected":
            missing.append(MissingItem("document", document_type.code, _(
                "Document: %(name)s.", name=document_type.name_in(locale))))
    if application.kind == "renewal" and application.state == State.draft and \
            application.stage_deadline and local_today() > application.stage_deadline:
        missing.append(MissingItem("renewal_window", "", _(
            "The renewal window closed on %(date)s; apply for a new registration.",
            date=format_day(application.stage_deadline))))
    if held := held_by_draft(application, local_today()):  # registered since it was started
        missing.append(MissingItem("questionnaire", "kind", held))
    return missing


def _conflict_message(application_id: int) -> str:
    """Who changed the application last, and when (its newest audit event)."""
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.application_id ==
                                                       application_id)
                              .order_by(AuditEvent.seq.desc()).limit(1))
    if event is None or event.actor is None:
        return stale_message()
    return _("%(who)s changed this application at %(when)s. Reload the page to see it.",
             who=event.actor.full_name, when=format_moment(event.at))


def _check_version(application: Application, version) -> None:
    """:raise Conflict: the page was loaded before someone else's change (says who and when)."""
    if version not in (None, "") and str(application.version) != str(version):
        raise Conflict(_conflict_message(application.id))


def apply_transition(actor: User, application: Application, action: str, *,
                     comment: str = "", values: dict | None = None, data: dict | None = None):
    """Move the application along the workflow with a guarded update and an audit row.

    The UPDATE only matches while the state is still the one the actor saw, so of several
    racing requests exactly one wins. The caller's transaction is committed by the caller.
    :raise IllegalTransition: (domain.workflow) not allowed here for this role.
    :raise Conflict: another request changed the state first.
    """
    source = application.state
    transition = check_transition(State(source), action, actor.role)
    if transition.requires_comment:
        reasons.require_comment(comment, "comment", final=transition.target in TERMINAL_STATES)
    now = utcnow()
    result = db.session.execute(
        update(Application)
        .where(Application.id == application.id, Application.state == source)
        .values(state=transition.target.value, state_changed_at=now, updated_at=now,
                version=Application.version + 1, **(values or {}))
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        db.session.rollback()
        raise Conflict(_conflict_message(application.id))
    record_event(actor, str(action), object_type="application", object_id=application.id,
                 application_id=application.id, from_state=source,
                 to_state=transition.target.value, comment=comment.strip(), data=data)
    db.session.expire(application)
    return transition.target


def submit_application(actor: User, application: Application, version=None,
                       response: str = "") -> date:
    """Submit a draft (or resubmit a returned application, with the exporter's answer to the
    correction requests, `response`); return the completeness deadline.

    :raise ValidationFailed: something required is missing (all of it is listed).
    :raise IllegalTransition: not a draft or returned application.
    :raise Conflict: changed by someone else since the page was loaded.
    """
    require_owner(actor, application)
    _check_version(application, version)
    action = "resubmit" if application.state == State.returned else "submit"
    check_transition(State(application.state), action, actor.role)
    if missing := missing_for_submission(application):
        raise ValidationFailed({"": [item.message for item in missing]},
                               _("The application is not complete yet."))
    days = SLA_WORKING_DAYS["completeness_check"]
    deadline = working_calendar().add_working_days(local_today(), days)
    with transaction():
        apply_transition(actor, application, action, comment=response.strip(),
                         values={"submitted_at": utcnow(), "stage_deadline": deadline},
                         data={"deadline": deadline.isoformat()})
        resolve_open_requests(application, response.strip())
    return deadline


def withdraw_application(actor: User, application: Application, comment: str = "",
                         version=None) -> None:
    """Withdraw a draft, submitted or returned application (terminal).

    :raise IllegalTransition: the application is past the point where it can be withdrawn.
    :raise Conflict: changed by someone else since the page was loaded.
    """
    require_owner(actor, application)
    _check_version(application, version)
    with transaction():
        apply_transition(actor, application, "withdraw", comment=comment,
                         values={"stage_deadline": None})
