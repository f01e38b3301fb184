"""What the laboratory and the inspector are told of each other's work: the samples sent to an
accredited laboratory, and the results it posts. Neither was told: the laboratory's
notifications stayed empty after samples were sent, and a failing result it posted showed
only to someone who opened the application again."""

from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from certtrack.domain.workflow import Role, State
from certtrack.extensions import db
from certtrack.models import Application, LabResult, Sample, User
from certtrack.services.applications import local_today
from certtrack.services.conclusions import latest_results
from certtrack.services.inspectors_told import inspectors_to_tell
from certtrack.services.lab_results import valid_until
from certtrack.services.local_dates import LocalDate, LocalName
from certtrack.services.notifications import inspector_link, link, notify
from certtrack.services.transaction import transaction

# The states in which a result's expiry matters: the application's conclusion is to come.
AWAITING_CONCLUSION = (State.inspected, State.lab_testing, State.corrective_actions)


def samples_sent(application: Application, samples: list[Sample]) -> None:
    """Tell the accounts of each accredited laboratory the samples go to which ones to expect
    (in the caller's transaction)."""
    codes: dict[int, list[str]] = {}
    for sample in samples:
        if sample.laboratory_id is not None:
            codes.setdefault(sample.laboratory_id, []).append(sample.code)
    for laboratory_id, sent in codes.items():
        staff = db.session.scalars(select(User).where(User.role == Role.laboratory,
                                                      User.laboratory_id == laboratory_id))
        notify(staff, "lab_samples",
               _l("Samples %(codes)s of application %(ref)s were sent to your laboratory.",
                  codes=", ".join(sent), ref=application.reference),
               link("lab_portal.samples"))


def result_posted(application: Application, sample: Sample, row: LabResult) -> None:
    """Tell the application's inspector (review.inspectors_to_tell) of a result the laboratory
    posted: at once when it fails China's limit, else once a day per sample (in the caller's
    transaction)."""
    inspectors = inspectors_to_tell(application)
    if row.verdict == "non_compliant":
        notify(inspectors, "lab_result",
               _l("The laboratory's result of %(parameter)s for sample %(code)s of application "
                  "%(ref)s exceeds China's limit.", parameter=_parameter(row), code=sample.code,
                  ref=application.reference),
               inspector_link(application))
        return
    notify(inspectors, "lab_result",
           _l("The laboratory posted results for sample %(code)s of application %(ref)s.",
              code=sample.code, ref=application.reference),
           inspector_link(application), dedupe_key=f"lab_result:{sample.id}:{local_today()}")


def _parameter(row: LabResult) -> LocalName:
    """The result's parameter, named in the language of whoever reads the notice."""
    return LocalName({language: row.parameter_in(language)
                      for language in ("en", "kk", "ru", "zh")})


def tell_expired_results(today: date) -> int:
    """Tell the inspectors (review.inspectors_to_tell) of each result that counts for an
    application still awaiting its conclusion and has expired by `today`: it no longer counts,
    a new sample is needed (nobody was told; the conclusion page said so to whoever opened
    it). Once per result, whatever the days the daily run missed; returns how many."""
    applications = db.session.scalars(select(Application).where(
        Application.state.in_(AWAITING_CONCLUSION), Application.id.in_(
            select(LabResult.application_id).where(LabResult.valid_days.is_not(None)))))
    told = 0
    for application in applications:
        for row in latest_results(application):
            until = valid_until(row)
            if until is None or until >= today:
                continue
            with transaction():
                sent = notify(inspectors_to_tell(application), "lab_result", _l(
                    "The %(parameter)s result of sample %(code)s of application %(ref)s "
                    "expired after %(date)s: it no longer counts for the conclusion. Take a "
                    "new sample.", parameter=_parameter(row), code=row.sample.code,
                    ref=application.reference, date=LocalDate(until)),
                    inspector_link(application), dedupe_key=f"lab_expired:{row.id}")
            told += bool(sent)
    return told
