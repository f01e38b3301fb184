"""Detail-page panel for the registrar's stage: GACC batch, GACC's decisions, the registration."""

from flask import url_for
from flask_babel import gettext as _

from certtrack.domain.workflow import Action, State
from certtrack.services import dossiers, gacc, gacc_answers, registrations

# The workflow actions this panel offers; the other stages' panels offer the rest.
REGISTRAR_ACTIONS = (Action.recommend, Action.submit_to_gacc, Action.record_gacc_return,
                     Action.resubmit_to_gacc, Action.record_gacc_refusal,
                     Action.record_registration)
SHOWN_IN = frozenset({State.conclusion_positive, State.recommended, State.submitted_to_gacc,
                      State.gacc_returned, State.gacc_refused, State.registered})


def _recommend_form(failed: dict):
    """The application's own Recommend form (the one it came back with, errors and all): of
    this application alone, where the queue's form speaks of the applications ticked."""
    from certtrack.web.actions import REGISTRAR  # the action table imports the panels
    form = failed.get("recommend") or REGISTRAR["recommend"].build(None)
    form.consequence = _("This application is recommended to GACC for good: it waits for the "
                         "next batch and cannot be taken back.")
    return form


def context(rights, application, failed: dict) -> dict:
    """Template context for the registration panel: None before the registrar's stage."""
    state = State(application.state)
    if state not in SHOWN_IN and application.renewal_of_id is None:
        return {"registration_panel": None}
    registration = registrations.registration_of(application)
    link = None
    if registration is not None and rights.is_registrar:
        link = url_for("registrar.registration", registration_id=registration.id)
    from certtrack.web.actions import REGISTRAR  # the action table imports the panels
    actions = [str(a) for a in rights.actions if a in REGISTRAR_ACTIONS]
    return {"registration_panel": {
        "actions": actions,
        "recommend_form": _recommend_form(failed) if "recommend" in actions else None,
        "resubmit_form": failed.get("resubmit_form") or (
            REGISTRAR["resubmit_to_gacc"].build(application)
            if "resubmit_to_gacc" in actions else None),
        # Said before the form: it went back only to be refused after the box was ticked.
        "resubmit_refusal": (gacc_answers.resubmission_refusal(application)
                             if "resubmit_to_gacc" in actions else None),
        "gacc_requests": gacc.gacc_requests(application),
        "registration": registration,
        "registration_url": link,
        "is_renewal": application.renewal_of_id is not None,
        "is_change": application.kind == "change",
        "gacc_answer": _gacc_answer(rights, application, failed),
        **_dossiers(rights, application),
    }}


def _gacc_answer(rights, application, failed: dict):
    """GACC's open request and the exporter's form to answer it, while the application is
    returned by GACC; None otherwise, and for staff (they read the answer with the request)."""
    if not rights.is_exporter or application.state != State.gacc_returned:
        return None
    request = gacc_answers.open_gacc_request(application)
    if request is None:
        return None
    from certtrack.web.exporter_actions import EXPORTER  # the action table imports the panels
    form = failed.get("gacc_answer") or EXPORTER["answer_gacc"].build(application)
    if not failed.get("gacc_answer"):
        form.response.data = request.response
    return {"request": request, "form": form}


def _dossiers(rights, application) -> dict:
    """The stored dossiers, once recommended, and the registrar's 'new version' action."""
    if application.state not in dossiers.RECOMMENDED_STATES:
        return {"dossiers": None, "dossier_regenerate_url": None}
    url = None
    if rights.is_registrar:
        url = url_for("certificates.regenerate_application_dossier",
                      application_id=application.id)
    stored = dossiers.list_dossiers(application=application)
    return {"dossiers": stored, "dossier_regenerate_url": url,
            "dossier_preparing": not stored and dossiers.being_prepared(application=application)}
