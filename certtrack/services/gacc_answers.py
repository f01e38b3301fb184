"""The exporter's answer to GACC's requests for corrections: written on the application's page
while it is returned by GACC, read by the registrar before sending the application back."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from certtrack.domain.reasons import REASON_MIN_IDEOGRAPHS, REASON_MIN_LENGTH, reason_is_enough
from certtrack.domain.vocabulary import CorrectionSource
from certtrack.domain.workflow import Role, State
from certtrack.extensions import db
from certtrack.models import Application, CorrectionRequest, User
from certtrack.services.audit import record_event
from certtrack.services.errors import ValidationFailed
from certtrack.services.notifications import link, notify
from certtrack.services.permissions import require_owner
from certtrack.services.transaction import transaction

GACC_SOURCE = CorrectionSource.gacc.value


def open_gacc_request(application: Application) -> CorrectionRequest | None:
    """Take an application; return GACC's request not yet sent back to GACC, if any."""
    return db.session.scalar(select(CorrectionRequest).where(
        CorrectionRequest.application_id == application.id,
        CorrectionRequest.source == GACC_SOURCE, CorrectionRequest.resolved_at.is_(None))
        .order_by(CorrectionRequest.id.desc()).limit(1))


def resubmission_refusal(application: Application) -> str | None:
    """Take an application returned by GACC; return why it cannot go back to GACC yet (the
    exporter has not answered GACC's requests), or None when it can."""
    request = open_gacc_request(application)
    if request is not None and not request.response.strip():
        return _("The exporter has not answered GACC's requests yet: the application goes back "
                 "to GACC with the exporter's answer.")
    return None


def answer_gacc_requests(actor, application: Application, response: str) -> CorrectionRequest:
    """Take an exporter, its application returned by GACC and its answer to GACC's requests;
    store the answer on the open request (an earlier answer not yet sent is replaced), with an
    audit row, and tell the registrars the application can go back to GACC. One commit.

    :raise NotFound: not the exporter's application.
    :raise ValidationFailed: a blank answer, or the application is not returned by GACC.
    """
    require_owner(actor, application)
    request = open_gacc_request(application)
    if application.state != State.gacc_returned.value or request is None:
        raise ValidationFailed({"": [_("This application has no request of GACC to answer.")]})
    answer = (response or "").strip()
    if not answer:
        raise ValidationFailed({"response": [_("Write your answer to GACC's requests.")]})
    if not reason_is_enough(answer):  # "Done" goes to GACC as the whole answer
        raise ValidationFailed({"response": [_(
            "Say in a few words what you corrected for GACC's requests: at least %(count)d "
            "characters, or %(ideographs)d Chinese characters.", count=REASON_MIN_LENGTH,
            ideographs=REASON_MIN_IDEOGRAPHS)]})
    with transaction():
        request.response = answer
        record_event(actor, "gacc_requests_answered", object_type="application",
                     object_id=application.id, application_id=application.id, comment=answer)
        registrars = db.session.scalars(select(User).where(User.role == Role.registrar,
                                                           User.is_active.is_(True)))
        notify(list(registrars), "gacc_returned", _l(
            "The exporter answered GACC's requests on application %(ref)s: it can go back to "
            "GACC.", ref=application.reference),
            link("registrar.application", application_id=application.id))
    return request
