"""What an application's kind stands on: a renewal renews a registration in China and is
started from it; a change changes one in force. Neither is filed for an establishment that
China has not registered for the category, and a new registration is not filed for one that
China has registered, until that registration's renewal window has closed."""

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from certtrack.domain.renewal import WindowState, decide_renewal
from certtrack.domain.workflow import LIVE_REGISTRATION_STATUSES
from certtrack.extensions import db
from certtrack.models import Application, ApplicationProduct, Registration
from certtrack.services.inputs import ApplicationInput
from certtrack.services.print_context import current_application


def live_registration(establishment_id: int, category_code: str) -> Registration | None:
    """The establishment's registration in force for the category (there is one at most): the
    one a change changes, and the one a new application may not duplicate."""
    return db.session.scalar(select(Registration).where(
        Registration.status.in_(LIVE_REGISTRATION_STATUSES),
        Registration.establishment_id == establishment_id,
        Registration.gacc_category_code == category_code).limit(1))


def held_registration(establishment_id: int, category_code: str,
                      today: date) -> Registration | None:
    """The registration in force a new application for the establishment and category would
    duplicate: one whose renewal may still be applied for, or comes by itself. None when
    there is none, or its window has closed (it ends, and a new registration is the way)."""
    live = live_registration(establishment_id, category_code)
    if live is None or decide_renewal(live.valid_to, live.gacc_category.renewal_list_280,
                                      today).state == WindowState.closed:
        return None
    return live


def covered_lines(application: Application) -> list[ApplicationProduct]:
    """A change's first product lines: those of the registration it changes, as it covers them
    now (print_context.current_application). A change lists every product the registration is
    to cover once GACC accepts it: the exporter adds, removes or corrects lines from there (it
    listed the added product alone, and its acceptance dropped the others). [] for another
    kind, a change with lines already, or none to change."""
    if application.kind != "change" or application.products:
        return []
    live = live_registration(application.establishment_id, application.gacc_category_code)
    if live is None:
        return []
    return [ApplicationProduct(product_code=line.product_code,
                               annual_volume=line.annual_volume, volume_unit=line.volume_unit)
            for line in current_application(live).products]


def held_message(registration: Registration) -> str:
    """Why a new application is not filed beside the registration held."""
    return _("This establishment already holds China registration %(number)s for this "
             "category: for other products, apply for a change of it; its renewal is "
             "started under “Registrations”.", number=registration.china_number)


def held_by_draft(application: Application, today: date) -> str | None:
    """Why a new application's draft is not submitted: China registered its establishment for
    the category since it was started (held_message), else None."""
    if application.kind != "new" or application.state != "draft":
        return None
    held = held_registration(application.establishment_id, application.gacc_category_code,
                             today)
    return held_message(held) if held else None


def kind_errors(data: ApplicationInput, draft: Application | None = None,
                today: date | None = None) -> dict[str, list[str]]:
    """Take the questionnaire's entries (and the draft they edit); return the kind's error: a
    renewal not started from its registration (the exporter's Registrations page starts one,
    with the registration's establishment and category, when its window is open), or a change
    with no registration of the establishment and category held in China, or a new one
    beside a registration held (held_registration, on `today`)."""
    if data.kind == "renewal" and (draft is None or draft.renewal_of_id is None):
        return {"kind": [_("A renewal is started from the registration it renews: under "
                           "“Registrations”, choose “Apply for renewal” once its window "
                           "is open.")]}
    if data.kind == "change" and data.establishment_id and data.gacc_category_code and \
            live_registration(data.establishment_id, data.gacc_category_code) is None:
        return {"kind": [_("A change is for a registration China holds, and this establishment "
                           "has none for this category: apply for a new registration.")]}
    if data.kind == "new" and today and data.establishment_id and data.gacc_category_code and \
            (held := held_registration(data.establishment_id, data.gacc_category_code, today)):
        return {"kind": [held_message(held)]}
    return {}


def kept_errors(data: ApplicationInput, application: Application | None) -> dict[str, list[str]]:
    """Take the entries and the application they edit; return the error of a change to what
    may no longer change: a renewal keeps its registration's kind, establishment and category,
    and a returned application those it was submitted with (the inspector checked them, the
    committee of its category, with the documents accepted for that establishment)."""
    if application is None or (data.kind, data.establishment_id, data.gacc_category_code) == (
            application.kind, application.establishment_id, application.gacc_category_code):
        return {}
    if application.renewal_of_id is not None:
        return {"": [_("A renewal keeps the kind, establishment and category of the "
                       "registration it renews.")]}
    if application.submitted_at is not None:
        return {"": [_("A returned application keeps the kind, establishment and category it "
                       "was submitted with: the inspector checked them. For another, withdraw "
                       "it and start a new application.")]}
    return {}
