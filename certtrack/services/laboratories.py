"""Accredited laboratories: the samples sent to them and the results they post."""

from datetime import date

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from certtrack.domain.workflow import Role
from certtrack.extensions import db
from certtrack.models import (
    Application,
    GaccCategory,
    LabLimit,
    Laboratory,
    LabResult,
    Sample,
    User,
)
from certtrack.services import accreditation, laboratory
from certtrack.services.applications import local_today
from certtrack.services.audit import record_event
from certtrack.services.errors import NotFound, PermissionDenied, ValidationFailed
from certtrack.services.inputs import LaboratoryInput, LabResultInput
from certtrack.services.limits import limits_for_products, product_codes
from certtrack.services.permissions import RESULT_STATES, require_admin
from certtrack.services.transaction import transaction


def create_laboratory(actor, data: LaboratoryInput) -> Laboratory:
    """Record an accredited laboratory (name in English, name_kk, name_ru, name_zh,
    accreditation_number, accredited_until, and its scope: parameters tested in categories,
    the product groups). `actor` SYSTEM means the command line.

    :raise PermissionDenied: the actor is not an administrator.
    :raise ValidationFailed: no name, no validity date, no parameter or no product group, or
        one that China's limits or the catalogue do not know.
    """
    require_admin(actor)
    if errors := _laboratory_errors(data):
        raise ValidationFailed(errors)
    with transaction():
        lab = Laboratory(name=data.name.strip(), name_kk=(data.name_kk or "").strip(),
                         name_ru=(data.name_ru or "").strip(),
                         name_zh=(data.name_zh or "").strip(),
                         accreditation_number=(data.accreditation_number or "").strip(),
                         accredited_until=data.accredited_until,
                         parameters=sorted(set(data.parameters)),
                         categories=sorted(set(data.categories)))
        db.session.add(lab)
        db.session.flush()
        record_event(actor, "laboratory_created", object_type="laboratory", object_id=lab.id,
                     data={"name": lab.name, "name_kk": lab.name_kk, "name_ru": lab.name_ru,
                           "name_zh": lab.name_zh,
                           "accredited_until": lab.accredited_until.isoformat(),
                           "parameters": lab.parameters, "categories": lab.categories})
    return lab


def _laboratory_errors(data: LaboratoryInput) -> dict[str, list[str]]:
    errors = {}
    if not (data.name or "").strip():
        errors["name"] = [_("This field is required.")]
    if not isinstance(data.accredited_until, date):
        errors["accredited_until"] = [_("This field is required.")]
    known = {"parameters": set(db.session.scalars(select(LabLimit.parameter))),
             "categories": set(db.session.scalars(select(GaccCategory.code)))}
    for name, values in (("parameters", data.parameters), ("categories", data.categories)):
        if not values:
            errors[name] = [_("This field is required.")]
        elif unknown := sorted(set(values) - known[name]):
            errors[name] = [_("Unknown: %(values)s. Known: %(known)s.",
                              values=", ".join(unknown), known=", ".join(sorted(known[name])))]
    return errors


def list_laboratories() -> list[Laboratory]:
    """The accredited laboratories by name, for an administrator to link an account to."""
    return list(db.session.scalars(select(Laboratory).order_by(Laboratory.name)))


def _require_laboratory(actor: User) -> None:
    if actor.role != Role.laboratory or actor.laboratory_id is None:
        raise PermissionDenied(_("Only an accredited laboratory posts results."))


def samples_query(actor: User):
    """The samples sent to the actor's laboratory, as a query (oldest first by id).

    :raise PermissionDenied: the actor is not a laboratory's account.
    """
    _require_laboratory(actor)
    return select(Sample).where(Sample.laboratory_id == actor.laboratory_id)


def list_samples(actor: User, *, page: int = 1, pending: bool = True):
    """One page of the samples sent to the actor's laboratory, newest first: those whose
    application is in laboratory testing (results may be posted), or (`pending` false) all,
    with their results; and the ids of the page's applications still in testing (one query
    each, not one per row).

    :raise PermissionDenied: the actor is not a laboratory's account.
    """
    query = (samples_query(actor).join(Application, Application.id == Sample.application_id)
             .options(selectinload(Sample.product)))
    if pending:
        query = query.where(Application.state.in_(RESULT_STATES))
    pagination = db.paginate(query.order_by(Sample.id.desc()), page=page,
                             per_page=current_app.config["PER_PAGE"], error_out=False)
    ids = {sample.application_id for sample in pagination.items}
    in_testing = set(db.session.scalars(select(Application.id).where(
        Application.id.in_(ids), Application.state.in_(RESULT_STATES)))) if ids else set()
    return pagination, in_testing


def offered_limits(actor: User, samples: list[Sample]) -> dict[int, list[LabLimit]]:
    """The limits a result of each sample may be posted for, by sample id: those of its
    product within the laboratory's scope of accreditation, as its result form offers them
    (one query for any number of samples).

    :raise PermissionDenied: the actor is not a laboratory's account.
    """
    _require_laboratory(actor)
    scope = accreditation.in_scope(actor.laboratory, {sample.product_code for sample in samples})
    rows = limits_for_products(scope)
    return {sample.id: [limit for limit in rows if sample.product_code in product_codes(limit)
                        and limit.parameter in scope[sample.product_code]]
            for sample in samples}


def scope(actor: User, sample: Sample) -> set[str]:
    """The parameters the actor's laboratory is accredited to test in the sample's product
    (none when the product's group is outside its scope)."""
    _require_laboratory(actor)
    return accreditation.in_scope(actor.laboratory, [sample.product_code])[sample.product_code]


def application_of(sample: Sample) -> Application:
    """The application a sample was taken for (a laboratory sees it through its sample)."""
    return db.session.get(Application, sample.application_id)


def get_sample(actor: User, sample_id: int) -> Sample:
    """A sample sent to the actor's laboratory.

    :raise PermissionDenied: not a laboratory's account.
    :raise NotFound: no such sample, or one sent to another laboratory (as an unknown one:
        its number tells nothing of the samples another laboratory has).
    """
    _require_laboratory(actor)
    sample = db.session.get(Sample, sample_id)
    if sample is None or sample.laboratory_id != actor.laboratory_id:
        raise NotFound(_("No such sample."))
    return sample


def post_result(actor: User, sample_id: int, data: LabResultInput) -> LabResult:
    """A laboratory's result for a sample sent to it, judged as an inspector's would be.

    :raise PermissionDenied: see get_sample(); the laboratory's accreditation has lapsed.
    :raise NotFound: no such sample.
    :raise IllegalTransition: the application is not in laboratory testing.
    :raise ValidationFailed: see laboratory.record_result(); a parameter outside the scope.
    """
    sample = get_sample(actor, sample_id)
    lab = actor.laboratory
    if lab.accredited_until < local_today():
        raise PermissionDenied(_("The laboratory's accreditation has lapsed."))
    application = db.session.get(Application, sample.application_id)
    if data.limit_id is None:
        raise ValidationFailed({"limit_id": [_("Choose a parameter that applies to %(product)s.",
                                               product=sample.product_code)]})
    return laboratory.store_result(actor, application, sample, data,
                                   allowed_parameters=scope(actor, sample))
