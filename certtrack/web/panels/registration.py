"""Detail-page panel for the registrar's stage: GACC batch, GACC's decisions, the registration."""

from flask import url_for

from certtrack.domain.workflow import Role, State, allowed_actions
from certtrack.services import dossiers, gacc, registrations

# The workflow actions this panel offers; the other stages' panels offer the rest.
REGISTRAR_ACTIONS = ("recommend", "submit_to_gacc", "record_gacc_return", "resubmit_to_gacc",
                     "record_gacc_refusal", "record_registration")
SHOWN_IN = frozenset({State.conclusion_positive, State.recommended, State.submitted_to_gacc,
                      State.gacc_returned, State.gacc_refused, State.registered})


def context(user, application) -> dict:
    """Template context for the registration panel: None before the registrar's stage."""
    state = State(application.state)
    if state not in SHOWN_IN and application.renewal_of_id is None:
        return {"registration_panel": None}
    registration = registrations.registration_of(application)
    link = None
    if registration is not None and user.role == Role.registrar:
        link = url_for("registrar.registration", registration_id=registration.id)
    return {"registration_panel": {
        "actions": [str(a) for a in allowed_actions(state, user.role) if a in REGISTRAR_ACTIONS],
        "gacc_requests": gacc.gacc_requests(application),
        "registration": registration,
        "registration_url": link,
        "is_renewal": application.renewal_of_id is not None,
        **_dossiers(user, application),
    }}


def _dossiers(user, application) -> dict:
    """The stored dossiers, once recommended, and the registrar's 'new version' action."""
    if application.state not in dossiers.RECOMMENDED_STATES:
        return {"dossiers": None, "dossier_regenerate_url": None}
    url = None
    if user.role == Role.registrar:
        url = url_for("certificates.regenerate_application_dossier",
                      application_id=application.id)
    return {"dossiers": dossiers.list_dossiers(application=application),
            "dossier_regenerate_url": url}
