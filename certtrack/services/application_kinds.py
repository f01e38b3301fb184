"""What an application's kind stands on: a renewal renews a registration in China and is
started from it; a change changes one in force. Neither is filed for an establishment that
China has not registered for the category."""

from flask_babel import gettext as _
from sqlalchemy import select

from certtrack.domain.workflow import LIVE_REGISTRATION_STATUSES
from certtrack.extensions import db
from certtrack.models import Application, Registration
from certtrack.services.inputs import ApplicationInput


def live_registration(establishment_id: int, category_code: str) -> Registration | None:
    """The establishment's registration in force for the category (there is one at most): the
    one a change changes, and the one a new application may not duplicate."""
    return db.session.scalar(select(Registration).where(
        Registration.status.in_(LIVE_REGISTRATION_STATUSES),
        Registration.establishment_id == establishment_id,
        Registration.gacc_category_code == category_code).limit(1))


def kind_errors(data: ApplicationInput, draft: Application | None = None) -> dict[str, list[str]]:
    """Take the questionnaire's entries (and the draft they edit); return the kind's error: a
    renewal not started from its registration (the exporter's Registrations page starts one,
    with the registration's establishment and category, when its window is open), or a change
    with no registration of the establishment and category held in China."""
    if data.kind == "renewal" and (draft is None or draft.renewal_of_id is None):
        return {"kind": [_("A renewal is started from the registration it renews: under "
                           "“Registrations”, choose “Apply for renewal” once its window "
                           "is open.")]}
    if data.kind == "change" and data.establishment_id and data.gacc_category_code and \
            live_registration(data.establishment_id, data.gacc_category_code) is None:
        return {"kind": [_("A change is for a registration China holds, and this establishment "
                           "has none for this category: apply for a new registration.")]}
    return {}
