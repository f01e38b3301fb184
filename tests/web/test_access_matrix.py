"""Deny by default and the access matrix: every endpoint × every role → the status it answers.

docs/security.md items 8–10. The matrix runs on one world built per module (exporter A and B with
their applications, inspectors of both committees and two regions, a registrar, an admin): each
case is one request from a fresh client, so that hundreds of cases stay cheap. Sessions are
planted as the sign-in would leave them (user id, session version and session record); the
sign-in itself is tested in test_auth.py. A new endpoint fails
test_matrix_lists_every_endpoint_and_method until its row is added here.
"""

import io
from datetime import date
from types import SimpleNamespace
from urllib.parse import quote

import pytest
from sqlalchemy import select, text
from werkzeug.routing import Rule

from certtrack import create_app
from certtrack.extensions import db
from certtrack.models import (
    Consignment,
    ConsignmentDocument,
    Dossier,
    Finding,
    Inspection,
    LabLimit,
    Registration,
    Sample,
    User,
)
from certtrack.services import applications, certificates, gacc, sessions
from certtrack.services.consignments import documents as consignment_documents
from certtrack.services.consignments import drafts
from certtrack.services.inputs import ApplicationInput, BatchInput, ProductInput, RegistrationInput
from certtrack.services.reference import load_reference
from certtrack.services.transaction import transaction
from certtrack.web.access import API_PREFIX

from consignment_factories import WHEAT_LOT, header, listed_in_english
from factories import (
    PDF_BYTES,
    QUESTIONNAIRE,
    make_exporter_with_application,
    make_user,
    move_to_state,
    recommended_on,
)
from forms import csrf_token

SECOND_BIN = "961141000023"
ROLES = ("anonymous", "exporter_a", "exporter_b", "inspector", "inspector_other_region",
         "veterinary_inspector", "registrar", "admin")

# Endpoints anyone may reach without signing in. Adding one is a decision: it must be marked
# with @access.public in the code *and* listed here.
ALLOW_LIST = {"static", "public.index", "public.healthz", "public.terms", "public.favicon",
              "auth.login", "auth.language", "password_reset.forgot", "password_reset.reset",
              "verify.form", "verify.certificate", "verify.short_address", "verify.seal_check",
              "register.index", "register.csv", "consignment_verify.certificate",
              "consignment_verify.short_address"}

# (endpoint, method) → status per role, in the order of ROLES:
#   anonymous, exporter A, exporter B, inspector (phytosanitary, KZ-11), inspector of another
#   region (phytosanitary, KZ-39), veterinary inspector (KZ-11), registrar, admin.
# URL values name exporter A's objects (see _populate and VERBS). POSTs carry a valid CSRF
# token and the body of POST_BODIES (empty by default: the form fails validation, answers 422
# and changes nothing). Exporter B never learns that A's objects exist: 404, not 403.
ALL_200 = (200,) * 8
STAFF_DENIED = (403,) * 4
MATRIX: dict[tuple[str, str], tuple[int, ...]] = {
    ("static", "GET"): ALL_200,
    ("public.index", "GET"): (200,) + (302,) * 7,
    ("public.healthz", "GET"): ALL_200,
    ("public.favicon", "GET"): (301,) * 8,
    # The explanations of terms, which the exporter's forms link to: for everyone.
    ("public.terms", "GET"): ALL_200,
    ("auth.login", "GET"): ALL_200,
    ("auth.login", "POST"): (422,) * 8,
    # A forgotten password, for anyone; a link that is not one (a made-up token) is gone.
    ("password_reset.forgot", "GET"): ALL_200,
    ("password_reset.forgot", "POST"): (422,) * 8,
    ("password_reset.reset", "GET"): (410,) * 8,
    ("password_reset.reset", "POST"): (410,) * 8,
    ("auth.logout", "POST"): (401,) + (302,) * 7,
    ("auth.account", "GET"): (302,) + (200,) * 7,
    ("auth.change_password", "POST"): (401,) + (422,) * 7,
    ("tokens.create", "POST"): (401,) + (422,) * 7,
    # Nobody's token: 404 whoever asks (a token is only ever its owner's).
    ("tokens.revoke", "POST"): (401,) + (404,) * 7,
    ("auth.two_factor", "GET"): (302,) + (200,) * 7,
    # Exporters start a set-up; staff already have a factor and are told so: both redirect.
    ("auth.two_factor_start", "POST"): (401,) + (302,) * 7,
    ("auth.two_factor_confirm", "POST"): (401,) + (422,) * 7,
    ("auth.recovery_codes", "POST"): (401,) + (422,) * 7,
    # An accredited laboratory's pages: none of these roles is one.
    ("lab_portal.samples", "GET"): (302,) + (403,) * 7,
    ("lab_portal.sample", "GET"): (302,) + (403,) * 7,
    ("lab_portal.sample", "POST"): (401,) + (403,) * 7,
    # Without a code and a ticked box, nothing is removed (422).
    ("auth.two_factor_remove", "POST"): (401,) + (422,) * 7,
    # Nobody's session: 404 whoever asks (a session is only ever its owner's to end).
    ("auth.end_session", "POST"): (401,) + (404,) * 7,
    # Webhooks are for exporters' (and laboratories') systems; a webhook of no one is 404.
    ("official.edit", "GET"): (302, 403, 403, 200, 200, 200, 200, 403),
    ("official.edit", "POST"): (401, 403, 403, 422, 422, 422, 422, 403),
    ("webhooks.index", "GET"): (302, 200, 200, *STAFF_DENIED, 403),
    ("webhooks.index", "POST"): (401, 422, 422, *STAFF_DENIED, 403),
    ("webhooks.disable", "POST"): (401, 404, 404, *STAFF_DENIED, 403),
    ("auth.language", "POST"): (302,) * 8,
    ("exporter.home", "GET"): (302, 200, 200, *STAFF_DENIED, 403),
    ("exporter.register_enterprise", "GET"): (302, 302, 302, *STAFF_DENIED, 403),
    ("exporter.register_enterprise", "POST"): (401, 302, 302, *STAFF_DENIED, 403),
    ("exporter.enterprise", "GET"): (302, 200, 200, *STAFF_DENIED, 403),
    ("exporter.edit_enterprise", "GET"): (302, 200, 200, *STAFF_DENIED, 403),
    ("exporter.edit_enterprise", "POST"): (401, 422, 422, *STAFF_DENIED, 403),
    ("exporter.new_establishment", "GET"): (302, 200, 200, *STAFF_DENIED, 403),
    ("exporter.new_establishment", "POST"): (401, 422, 422, *STAFF_DENIED, 403),
    ("exporter.edit_establishment", "GET"): (302, 200, 404, *STAFF_DENIED, 403),
    ("exporter.edit_establishment", "POST"): (401, 422, 404, *STAFF_DENIED, 403),
    ("exporter.new_application", "GET"): (302, 200, 200, *STAFF_DENIED, 403),
    ("exporter.new_application", "POST"): (401, 422, 422, *STAFF_DENIED, 403),
    ("exporter.edit_application", "GET"): (302, 200, 404, *STAFF_DENIED, 403),
    ("exporter.edit_application", "POST"): (401, 422, 404, *STAFF_DENIED, 403),
    ("exporter.application", "GET"): (302, 200, 404, *STAFF_DENIED, 403),
    ("exporter.add_product", "POST"): (401, 422, 404, *STAFF_DENIED, 403),
    # A's application being submitted, its removal leads back to the page, which says its state
    # no longer allows it (302), ticked box or not: the box is not what stops it.
    ("exporter.remove_product", "POST"): (401, 302, 404, *STAFF_DENIED, 403),
    ("exporter.upload_document", "POST"): (401, 422, 404, *STAFF_DENIED, 403),
    ("exporter.transition", "POST"): (401, 409, 404, *STAFF_DENIED, 403),
    ("documents.download", "GET"): (302, 200, 404, 200, 404, 404, 200, 200),
    # A's consignment's contract: as its consignment page, and the registrars'.
    ("documents.consignment_document", "GET"): (302, 200, 404, 200, 404, 404, 200, 200),
    ("inspector.queue", "GET"): (302, 403, 403, 200, 200, 200, 403, 403),
    ("inspector.application", "GET"): (302, 403, 403, 200, 404, 404, 403, 403),
    ("registrar.overview", "GET"): (302, 403, 403, 403, 403, 403, 200, 403),
    ("registrar.application", "GET"): (302, 403, 403, 403, 403, 403, 200, 403),
    ("admin.users", "GET"): (302,) + (403,) * 6 + (200,),
    ("admin.new_user", "GET"): (302,) + (403,) * 6 + (200,),
    ("admin.new_user", "POST"): (401,) + (403,) * 6 + (422,),
    ("admin.edit_user", "GET"): (302,) + (403,) * 6 + (200,),
    ("admin.edit_user", "POST"): (401,) + (403,) * 6 + (422,),
    ("admin.reset_password", "POST"): (401,) + (403,) * 6 + (422,),
    ("admin.reset_factor", "POST"): (401,) + (403,) * 6 + (422,),
    ("admin.revoke_token", "POST"): (401,) + (403,) * 6 + (404,),
    ("dashboard.index", "GET"): (302, 403, 403, 403, 403, 403, 200, 200),
    ("notifications.index", "GET"): (302,) + (200,) * 7,
    ("notifications.mark_read", "POST"): (401,) + (302,) * 7,
    # Another user's (or no) notification: nothing changes, nothing is said.
    ("notifications.mark_one_read", "POST"): (401,) + (302,) * 7,
    # Laboratory work on A's submitted application: a form of the page fails (422) or the
    # action is not possible in this state (flash and redirect, 302); inspectors out of scope
    # get 404.
    ("laboratory.record_sample", "POST"): (401, 403, 403, 422, 404, 404, 403, 403),
    ("laboratory.result", "GET"): (302, 403, 403, 200, 404, 404, 403, 403),
    ("laboratory.result", "POST"): (401, 403, 403, 422, 404, 404, 403, 403),
    ("laboratory.send_to_lab", "POST"): (401, 403, 403, 302, 404, 404, 403, 403),
    ("laboratory.record_lab_results", "POST"): (401, 403, 403, 302, 404, 404, 403, 403),
    # Steps of the workflow the submitted state does not allow: said so (302) even with their
    # box unticked, which their page, offered only in a state that allows them, would ask.
    ("laboratory.conclude_positive", "POST"): (401, 403, 403, 302, 404, 404, 403, 403),
    ("laboratory.conclude_negative", "POST"): (401, 403, 403, 302, 404, 404, 403, 403),
    # Review and inspection of A's submitted application by its inspector: the form fails
    # (422), or the action is not possible in this state (flash and redirect, 302, nothing
    # changes), a step of the workflow so whatever its form holds.
    ("inspector.act", "POST"): (401, 403, 403, 302, 404, 404, 403, 403),
    ("inspector.review_document", "POST"): (401, 403, 403, 422, 404, 404, 403, 403),
    ("inspector.return_for_corrections", "POST"): (401, 403, 403, 302, 404, 404, 403, 403),
    ("inspector.reject", "POST"): (401, 403, 403, 302, 404, 404, 403, 403),
    ("inspector.schedule_inspection", "POST"): (401, 403, 403, 422, 404, 404, 403, 403),
    ("inspector.add_finding", "POST"): (401, 403, 403, 422, 404, 404, 403, 403),
    ("inspector.record_measurement", "POST"): (401, 403, 403, 422, 404, 404, 403, 403),
    ("inspector.record_inspection", "POST"): (401, 403, 403, 302, 404, 404, 403, 403),
    ("inspector.require_corrective_actions", "POST"): (401, 403, 403, 302, 404, 404, 403, 403),
    ("inspector.verify_finding", "POST"): (401, 403, 403, 422, 404, 404, 403, 403),
    ("exporter.submit_evidence", "POST"): (401, 422, 404, *STAFF_DENIED, 403),
    ("exporter.answer_gacc", "POST"): (401, 422, 404, *STAFF_DENIED, 403),
    # A's registration: B never sees it; A's renewal window is not open (flash, 302).
    ("exporter.registrations", "GET"): (302, 200, 200, *STAFF_DENIED, 403),
    ("exporter.renew_registration", "POST"): (401, 302, 404, *STAFF_DENIED, 403),
    # The registrar's GACC pages for A's draft redirect to its detail page (not awaiting GACC).
    ("registrar.recommend", "POST"): (401,) + (403,) * 5 + (422, 403),
    ("registrar.submit_batch", "POST"): (401,) + (403,) * 5 + (422, 403),
    ("registrar.batch", "GET"): (302,) + (403,) * 5 + (200, 403),
    ("registrar.gacc_return", "GET"): (302,) + (403,) * 5 + (302, 403),
    ("registrar.gacc_return", "POST"): (401,) + (403,) * 5 + (302, 403),
    ("registrar.gacc_refusal", "GET"): (302,) + (403,) * 5 + (302, 403),
    ("registrar.gacc_refusal", "POST"): (401,) + (403,) * 5 + (302, 403),
    ("registrar.record_registration", "GET"): (302,) + (403,) * 5 + (302, 403),
    ("registrar.record_registration", "POST"): (401,) + (403,) * 5 + (302, 403),
    ("registrar.resubmit_to_gacc", "POST"): (401,) + (403,) * 5 + (302, 403),
    ("registrar.registrations_list", "GET"): (302,) + (403,) * 5 + (200, 403),
    ("registrar.registration", "GET"): (302,) + (403,) * 5 + (200, 403),
    ("registrar.change_registration", "POST"): (401,) + (403,) * 5 + (422, 403),
    ("registrar.name_changes_list", "GET"): (302,) + (403,) * 5 + (200, 403),
    ("registrar.decide_name_change", "POST"): (401,) + (403,) * 5 + (404, 403),
    ("assignment.assign", "POST"): (401,) + (403,) * 5 + (422, 403),
    ("admin_limits.limits_list", "GET"): (302,) + (403,) * 6 + (200,),
    ("admin_limits.edit_limit", "GET"): (302,) + (403,) * 6 + (200,),
    ("admin_limits.edit_limit", "POST"): (401,) + (403,) * 6 + (422,),
    # No job has failed: the list is empty and retrying an unknown failure is 404.
    ("admin_jobs.failures", "GET"): (302,) + (403,) * 6 + (200,),
    ("admin_audit.trail", "GET"): (302,) + (403,) * 6 + (200,),
    ("admin_audit.trail_csv", "GET"): (302,) + (403,) * 6 + (200,),
    ("admin_jobs.retry", "POST"): (401,) + (403,) * 6 + (404,),
    ("admin_renewal_list.categories", "GET"): (302,) + (403,) * 6 + (200,),
    ("admin_renewal_list.edit", "GET"): (302,) + (403,) * 6 + (200,),
    ("admin_renewal_list.edit", "POST"): (401,) + (403,) * 6 + (422,),
    ("admin_market_access.products", "GET"): (302,) + (403,) * 6 + (200,),
    ("admin_market_access.edit", "GET"): (302,) + (403,) * 6 + (200,),
    ("admin_market_access.edit", "POST"): (401,) + (403,) * 6 + (422,),
    # Public verification and register (no sign-in). The POST checks a PDF: none is sent, 422.
    ("verify.form", "GET"): ALL_200,
    ("verify.certificate", "GET"): ALL_200,
    ("verify.certificate", "POST"): (422,) * 8,
    # The short address without a code: the form with the number filled in (with one, a
    # redirect to the canonical address). The seal check: the form; no file sent, 422.
    ("verify.short_address", "GET"): ALL_200,
    ("verify.seal_check", "GET"): ALL_200,
    ("verify.seal_check", "POST"): (422,) * 8,
    ("register.index", "GET"): ALL_200,
    ("register.csv", "GET"): ALL_200,
    # A's certificate: its exporter and the registrars; the batch dossier of A's registration:
    # the registrars and the inspector of its region and committee. Others never learn of them.
    ("issued.certificate_pdf", "GET"): (302, 200, 404, 404, 404, 404, 200, 404),
    ("issued.dossier_pdf", "GET"): (302, 404, 404, 200, 404, 404, 200, 404),
    # Consignment certificates: the world has none, so every id and number is unknown (404);
    # their owners' access is tested with the consignment services.
    ("consignment_verify.certificate_pdf", "GET"): (302,) + (404,) * 7,
    ("consignment_verify.certificate_json", "GET"): (302,) + (404,) * 7,
    ("consignment_verify.certificate", "GET"): (404,) * 8,
    ("consignment_verify.certificate", "POST"): (404,) * 8,
    ("consignment_verify.short_address", "GET"): ALL_200,
    # The registrar's certificate pages for A's registration, which has its certificate: issuing
    # again is refused (flash and redirect); the replacement form without a reason fails (422).
    ("certificates.preview", "GET"): (302,) + (403,) * 5 + (200, 403),
    ("certificates.issue", "POST"): (401,) + (403,) * 5 + (302, 403),
    ("certificates.replace", "GET"): (302,) + (403,) * 5 + (200, 403),
    ("certificates.replace", "POST"): (401,) + (403,) * 5 + (422, 403),
    # Revoking a certificate: the form without a reason or confirmation fails (422).
    ("certificates.revoke", "GET"): (302,) + (403,) * 5 + (200, 403),
    ("certificates.revoke", "POST"): (401,) + (403,) * 5 + (422, 403),
    # A new dossier version: A's draft was never recommended (flash and redirect); the batch
    # really gets version 2, which no other case depends on.
    ("certificates.regenerate_application_dossier", "POST"): (401,) + (403,) * 5 + (302, 403),
    ("certificates.regenerate_batch_dossier", "POST"): (401,) + (403,) * 5 + (302, 403),
    # A's consignment, submitted under A's registration: a submitted request can no longer be
    # edited nor its lots removed (flash and redirect); the withdrawal and the refusal without a
    # reason fail (422). Its inspector is the phytosanitary one of KZ-11.
    ("consignments.index", "GET"): (302, 200, 200, *STAFF_DENIED, 403),
    ("consignments.new", "GET"): (302, 200, 200, *STAFF_DENIED, 403),
    ("consignments.new", "POST"): (401, 422, 422, *STAFF_DENIED, 403),
    ("consignments.edit", "GET"): (302, 302, 404, *STAFF_DENIED, 403),
    ("consignments.edit", "POST"): (401, 302, 404, *STAFF_DENIED, 403),
    ("consignments.detail", "GET"): (302, 200, 404, *STAFF_DENIED, 403),
    ("consignments.add_lot", "POST"): (401, 422, 404, *STAFF_DENIED, 403),
    # A's consignment being submitted, a lot's or a document's removal leads back to the page,
    # which says its state no longer allows it (302), as its edit does: both stay.
    ("consignments.remove_lot", "POST"): (401, 302, 404, *STAFF_DENIED, 403),
    ("consignments.remove_document", "POST"): (401, 302, 404, *STAFF_DENIED, 403),
    ("consignments.upload_document", "POST"): (401, 422, 404, *STAFF_DENIED, 403),
    ("consignments.transition", "POST"): (401, 422, 404, *STAFF_DENIED, 403),
    ("consignment_inspection.queue", "GET"): (302, 403, 403, 200, 200, 200, 403, 403),
    ("consignment_inspection.detail", "GET"): (302, 403, 403, 200, 404, 404, 403, 403),
    ("consignment_inspection.act", "POST"): (401, 403, 403, 422, 404, 404, 403, 403),
    ("consignment_inspection.replace", "POST"): (401, 403, 403, 422, 404, 404, 403, 403),
    # A deletion without its reason and tick is refused (422) for its inspector; others are
    # refused before the form is read.
    ("consignment_inspection.remove_treatment", "POST"): (
        401, 403, 403, 422, 404, 404, 403, 403),
    ("consignment_inspection.remove_lab_result", "POST"): (
        401, 403, 403, 422, 404, 404, 403, 403),
}
# Bodies that change nothing for those who may post. Edit forms keep the stored value of a field
# the POST leaves out, so they get a value off the list instead of an empty body; the submit
# gets a stale version (409).
POST_BODIES = {
    "auth.language": {"locale": "en"},
    "exporter.edit_enterprise": {"region_code": "KZ-00"},
    "exporter.edit_establishment": {"region_code": "KZ-00"},
    "exporter.edit_application": {"kind": "nonsense"},
    "exporter.transition": {"version": "0", "confirm": "y"},
    "admin.edit_user": {"role": "nonsense"},
    "admin_limits.edit_limit": {"confidence": "nonsense"},
    "admin_renewal_list.edit": {"confidence": "nonsense"},
    "admin_market_access.edit": {"confidence": "nonsense"},
}
# The verb of endpoints that serve several actions.
VERBS = {"tokens.revoke": {"token_id": 999999}, "webhooks.disable": {"webhook_id": 999999},
         "admin.revoke_token": {"token_id": 999999},
         "notifications.mark_one_read": {"notification_id": 999999},
         "registrar.decide_name_change": {"request_id": 999999, "decision": "approve"},
         "exporter.transition": {"verb": "submit"}, "auth.end_session": {"session_id": "0" * 64},
         "inspector.act": {"verb": "claim"},
         "consignments.transition": {"verb": "withdraw"},
         "consignment_inspection.act": {"verb": "refuse"},
         "registrar.change_registration": {"verb": "suspend"},
         "password_reset.reset": {"token": "not-a-link"}}
CASES = [(endpoint, method, role, statuses[i])
         for (endpoint, method), statuses in MATRIX.items() for i, role in enumerate(ROLES)]


def _methods(rule: Rule) -> set[str]:
    return set(rule.methods or ()) - {"HEAD", "OPTIONS"}


def _page_rules(app) -> list[Rule]:
    """Every rule but the API's: it authenticates by bearer token, never by session, and has
    its own matrix (tests/api/test_api_access_matrix.py)."""
    return [rule for rule in app.url_map.iter_rules() if not rule.rule.startswith(API_PREFIX)]


def _routes(app) -> set[tuple[str, str]]:
    return {(rule.endpoint, method) for rule in _page_rules(app) for method in _methods(rule)}


def _teardown(app, database_url: str) -> None:
    with app.app_context():
        db.session.remove()
        if database_url.startswith("postgresql"):
            tables = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
            db.session.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
            db.session.commit()
        db.engine.dispose()


def _sample_of(application) -> Sample:
    """A sample of A's application, straight in the database (samples need an inspection)."""
    sample = Sample(application_id=application.id, code="S-1", product_code="wheat",
                    taken_on=date(2025, 1, 15), matrix="wheat grain", laboratory="Laboratory")
    db.session.add(sample)
    db.session.commit()
    return sample


def _finding_of(application) -> Finding:
    """A finding of an inspection of A's application, straight in the database."""
    inspection = Inspection(application_id=application.id, mode="on_site",
                            scheduled_for=date(2025, 1, 10))
    db.session.add(inspection)
    db.session.flush()
    finding = Finding(inspection_id=inspection.id, application_id=application.id,
                      requirement="Pest control", observation="Traps missing", severity="major",
                      corrective_action="Set traps", status="open")
    db.session.add(finding)
    db.session.commit()
    return finding


def _registered(a_user, establishment, registrar) -> Registration:
    """A's second application, sent to GACC in a batch and registered there."""
    application = applications.create_application(
        a_user, ApplicationInput.from_mapping(
            {**QUESTIONNAIRE, "establishment_id": establishment.id}))
    applications.add_product(a_user, application, ProductInput.from_mapping({
        "product_code": "wheat", "annual_volume": 1000, "volume_unit": "t"}))
    move_to_state(application, "recommended")
    recommended_on(date(2025, 1, 31), [application.id])
    gacc.submit_batch(registrar, BatchInput.from_mapping(
        {"reference": "KZ-GACC-MATRIX", "submitted_on": date(2025, 2, 3),
                                  "application_ids": [application.id]}))
    return gacc.record_registration(registrar, application, RegistrationInput.from_mapping({
        "china_number": "CKAZ00000000000042", "listing_date": date(2025, 3, 3),
        "valid_from": None, "route": "under_guarantee"}))


def _consignment_of(a_user, registration) -> Consignment:
    """A's consignment of wheat under its registration, submitted."""
    listed_in_english(registration.establishment)
    consignment = drafts.create_consignment(a_user, header(
        registration, origin_region_code=registration.establishment.region_code))
    drafts.add_lot(a_user, consignment, WHEAT_LOT)
    consignment_documents.upload_consignment_document(a_user, consignment, "contract",
                                                      io.BytesIO(PDF_BYTES), "contract.pdf")
    drafts.submit_consignment(a_user, consignment)
    return consignment


def _populate() -> SimpleNamespace:
    a_user, _enterprise, establishment, application = make_exporter_with_application()
    b_user, *_ = make_exporter_with_application(SECOND_BIN, "exporter-b@example.kz")
    registrar = make_user("registrar")
    users = {
        "exporter_a": a_user.id, "exporter_b": b_user.id,
        "inspector": make_user("inspector").id,
        "inspector_other_region": make_user("inspector", regions=["KZ-39"]).id,
        "veterinary_inspector": make_user("inspector", committee="veterinary").id,
        "registrar": registrar.id,
        "admin": make_user("admin").id,
    }
    registration = _registered(a_user, establishment, registrar)
    certificate = certificates.issue_certificate(registrar, registration)
    consignment = _consignment_of(a_user, registration)
    # Staff never see drafts: A's application is submitted, so that every role's view of it
    # is exercised.
    move_to_state(application, "submitted")
    values = {
        "establishment_id": establishment.id, "application_id": application.id,
        "document_id": application.documents[0].id, "line_id": application.products[0].id,
        "user_id": make_user("registrar", "managed@example.kz").id,
        "filename": "css/app.css",
        "sample_id": _sample_of(application).id,
        "finding_id": _finding_of(application).id,
        "batch_id": registration.application.gacc_batch_id,
        "registration_id": registration.id,
        "certificate_id": certificate.id,
        "number": certificate.number, "code": certificate.verification_code,
        "dossier_id": db.session.scalar(select(Dossier.id).where(
            Dossier.gacc_batch_id == registration.application.gacc_batch_id)),
        "failure_id": 1,
        "consignment_id": consignment.id, "lot_id": consignment.lots[0].id,
        "consignment_document_id": db.session.scalar(select(ConsignmentDocument.id).where(
            ConsignmentDocument.consignment_id == consignment.id)),
        "treatment_id": 1, "result_id": 1,
        "limit_id": db.session.scalar(select(LabLimit.id).order_by(LabLimit.id).limit(1)),
        "category_code": "meat", "product_code": "wheat",
    }
    return SimpleNamespace(users=users, values=values)


@pytest.fixture(scope="module")
def world(database_url, tmp_path_factory):
    """One application and database with exporter A and B, staff of every kind and an admin."""
    app = create_app({
        "TESTING": True, "SECRET_KEY": "matrix-secret-key",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "UPLOAD_FOLDER": str(tmp_path_factory.mktemp("matrix-uploads")),
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        # Every public verification of the matrix comes from one test address: its throttle
        # (tests/web/test_verify_public.py) would answer 429 instead of the access decision.
        "VERIFY_MAX_PER_WINDOW": 10_000,
    })
    with app.app_context():
        if database_url.startswith("sqlite"):
            db.create_all()
        load_reference()
    with app.test_request_context():
        populated = _populate()
    populated.app = app
    yield populated
    _teardown(app, database_url)


def client_as(world, role: str):
    """A new client with the session the sign-in gives `role` (none for anonymous)."""
    client = world.app.test_client()
    if role == "anonymous":
        return client
    with world.app.app_context():
        user = db.session.get(User, world.users[role])
        with transaction():
            token = sessions.start_session(user)
        uid, version = user.id, user.session_version
    with client.session_transaction() as session:
        session["uid"], session["sv"], session["sid"] = uid, version, token
    return client


def url_of(world, endpoint: str) -> str:
    """The URL of `endpoint` with exporter A's objects as its arguments."""
    rule = next(r for r in world.app.url_map.iter_rules() if r.endpoint == endpoint)
    values = {**world.values, **VERBS.get(endpoint, {})}
    missing = set(rule.arguments) - set(values)
    assert not missing, f"add a value for {sorted(missing)} of {endpoint} to the world"
    with world.app.test_request_context():
        return world.app.url_for(endpoint, **{a: values[a] for a in rule.arguments})


def test_matrix_lists_every_endpoint_and_method(world):
    routes = _routes(world.app)
    assert routes - set(MATRIX) == set(), "endpoints missing from the access matrix"
    assert set(MATRIX) - routes == set(), "the matrix names endpoints that no longer exist"


def test_allow_list_is_exactly_the_views_marked_public(world):
    app = world.app
    marked = {endpoint for endpoint, view in app.view_functions.items()
              if getattr(view, "public", False)}
    assert marked == ALLOW_LIST - {"static"}
    assert "static" in app.view_functions


def test_every_other_endpoint_sends_anonymous_visitors_to_sign_in(world):
    checked = 0
    for rule in _page_rules(world.app):
        if rule.endpoint in ALLOW_LIST:
            continue
        url = url_of(world, rule.endpoint)
        client = world.app.test_client()
        if "GET" in _methods(rule):
            response = client.get(url)
            assert response.status_code == 302, rule.endpoint
            assert response.location == "/login?next=" + quote(url, safe="/"), rule.endpoint
            checked += 1
        if "POST" in _methods(rule):
            response = client.post(url, data={"csrf_token": csrf_token(client)})
            assert response.status_code == 401, rule.endpoint
            checked += 1
    assert checked >= 30


@pytest.mark.parametrize("endpoint", sorted(ALLOW_LIST))
def test_allow_listed_endpoints_answer_anonymous_visitors(world, endpoint):
    client = world.app.test_client()
    url = url_of(world, endpoint)
    if endpoint == "auth.language":
        response = client.post(url, data={"csrf_token": csrf_token(client), "locale": "ru"})
        assert response.status_code == 302
        assert not response.location.startswith("/login")
    elif endpoint == "consignment_verify.certificate":
        # The world holds no consignment certificate: the page answers, with "not found".
        with client.get(url) as response:
            assert response.status_code == 404
            assert ("No certificate matches this number and verification code."
                    in response.get_data(as_text=True))
    elif endpoint == "consignment_verify.short_address":
        # Without a code: the verification form, the number filled in.
        with client.get(url) as response:
            assert response.status_code == 200
            assert 'name="code"' in response.get_data(as_text=True)
    elif endpoint == "password_reset.reset":
        # A made-up link: the page answers, saying the link no longer works.
        with client.get(url) as response:
            assert response.status_code == 410
            assert "This link has expired or was used already." in response.get_data(
                as_text=True)
    elif endpoint == "public.favicon":
        with client.get(url, follow_redirects=True) as response:
            assert response.status_code == 200
            assert response.mimetype == "image/svg+xml"
    else:
        with client.get(url) as response:
            assert response.status_code == 200


@pytest.mark.parametrize(("endpoint", "method", "role", "expected"), CASES,
                         ids=[f"{m} {e} {r}" for e, m, r, _s in CASES])
def test_access_matrix(world, endpoint, method, role, expected):
    client = client_as(world, role)
    url = url_of(world, endpoint)
    if method == "GET":
        response = client.get(url)
    else:
        data = {"csrf_token": csrf_token(client), **POST_BODIES.get(endpoint, {})}
        response = client.post(url, data=data)
    response.close()
    assert response.status_code == expected, f"{method} {url} as {role}"
    if expected == 302 and role == "anonymous" and method == "GET":
        assert response.location.startswith("/login?next=")
