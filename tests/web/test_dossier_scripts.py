"""What the recommendation dossier to GACC prints as written is in Latin or Chinese script.

The dossier is English with Chinese, and printed as typed the inspection summary "Кемшіліктер
анықталған жоқ.", the traceability answer "Партия нөмірлері жеткізушіден жөнелтілімге дейін"
and the legal representative "Ерлан Сейітов". The exporter's texts: their forms now say the
dossier prints them, and refuse Cyrillic beside the field, keeping what was typed, as the legal
name in English is refused; the services refuse it too (the API reaches them without a form).
The inspector's summary stays in Kazakh or Russian, with its version for the dossier."""

import html
import re

import pytest
from sqlalchemy import select

from certtrack.demo.dossier import SPECS
from certtrack.extensions import db
from certtrack.models import Application, Enterprise, Inspection
from certtrack.services import applications, inspections, review
from certtrack.services.dossier_context import enterprise_context
from certtrack.services.errors import ValidationFailed
from certtrack.services.inputs import ApplicationInput

from factories import (
    ENTERPRISE,
    QUESTIONNAIRE,
    make_exporter_with_application,
    make_submitted_application,
    make_user,
)
from forms import login, post

HINT = "In Latin or Chinese script: the recommendation dossier sent to China's customs prints " \
       "it as written."
REFUSED = "Write it in Latin or Chinese script: the recommendation dossier sent to China's " \
          "customs prints it as written."
TRACEABILITY = "Партия нөмірлері жеткізушіден жөнелтілімге дейін"
CYRILLIC = re.compile(r"[\u0400-\u04ff]")


def _text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def field_error(page: str, field: str) -> str:
    """The error text shown beside a field (empty when there is none)."""
    match = re.search(rf'<p class="error" id="{field}-error">(.*?)</p>', page, re.S)
    return match.group(1).strip() if match else ""


def test_the_questionnaire_says_so_and_refuses_a_cyrillic_answer(ctx, client):
    user, _enterprise, establishment, application = make_exporter_with_application()
    login(client, user.email)
    url = f"/exporter/applications/{application.id}/edit"
    assert _text(client.get(url)).count(HINT) == 3  # HACCP details, traceability, authority
    typed = {**QUESTIONNAIRE, "establishment_id": establishment.id,
             "last_inspection_date": "", "traceability": TRACEABILITY,
             "last_inspection_authority": "Қостанай облыстық аумақтық инспекциясы",
             "version": application.version}
    refused = post(client, url, typed)
    assert refused.status_code == 422
    page = _text(refused)
    assert REFUSED in field_error(page, "traceability")
    assert REFUSED in field_error(page, "last_inspection_authority")
    assert TRACEABILITY in page  # kept, to be rewritten
    assert db.session.get(Application, application.id).traceability == "Lot numbers"
    saved = post(client, url, {**typed, "traceability": "Lot numbers from supplier to "
                               "consignment; 批次号", "last_inspection_authority": "Kostanay "
                               "regional inspection"})
    assert saved.status_code == 302
    assert db.session.get(Application, application.id).traceability.startswith("Lot numbers")


def test_the_service_refuses_a_cyrillic_answer_sent_without_the_form(ctx):
    user, _enterprise, establishment, _application = make_exporter_with_application()
    with pytest.raises(ValidationFailed) as refused:
        applications.create_application(user, ApplicationInput.from_mapping({
            **QUESTIONNAIRE, "establishment_id": establishment.id,
            "haccp_details": "ISO 22000 сертификаты"}))
    assert refused.value.errors == {"haccp_details": [REFUSED]}


def test_the_legal_representative_is_written_in_latin_letters(ctx, client):
    user = make_user("exporter")
    login(client, user.email)
    assert HINT in _text(client.get("/exporter/enterprise/new"))
    typed = {**ENTERPRISE, "legal_representative": "Ерлан Сейітов"}
    refused = post(client, "/exporter/enterprise/new", typed)
    assert refused.status_code == 422
    page = _text(refused)
    assert REFUSED in field_error(page, "legal_representative")
    assert re.search(r'<input[^>]*name="legal_representative"[^>]*value="Ерлан Сейітов"', page)
    assert db.session.scalar(select(Enterprise.id)) is None
    saved = post(client, "/exporter/enterprise/new",
                 {**typed, "legal_representative": "Erlan Seitov"})
    assert saved.status_code == 302


def test_the_inspection_summary_stays_kazakh_and_the_dossier_prints_its_english(ctx, client):
    """The inspector writes in Kazakh or Russian (the national record); the dossier prints the
    summary's version in English or Chinese, never the Kazakh one."""
    _exporter, application = make_submitted_application()
    inspector = make_user("inspector")
    review.start_review(inspector, application)
    review.accept_remaining_documents(inspector, application)
    login(client, inspector.email)
    url = f"/inspector/applications/{application.id}"
    post(client, url + "/schedule", {"mode": "document", "scheduled_for":
                                     applications.local_today().isoformat(),
                                     "inspector_ids": [str(inspector.id)]})
    assert HINT in _text(client.get(url))
    answers = {f"answer_{item.key}": "yes" for item in inspections.checklist_for(application)}
    form = {"performed_on": applications.local_today().isoformat(), "confirm": "y", **answers,
            "summary": "Кемшіліктер анықталған жоқ.", "summary_en": "Кемшіліктер жоқ."}
    refused = post(client, url + "/inspection", form)
    assert refused.status_code == 422
    page = _text(refused)
    assert REFUSED in field_error(page, "summary_en")
    assert not field_error(page, "summary")  # Kazakh, as the inspector writes
    assert "Кемшіліктер анықталған жоқ." in page and "Кемшіліктер жоқ." in page
    assert db.session.get(Application, application.id).state == "inspection_scheduled"
    missing = post(client, url + "/inspection", {**form, "summary_en": ""})
    assert missing.status_code == 422  # a Kazakh summary needs its version for the dossier
    assert "Give it in English or Chinese too" in field_error(_text(missing), "summary_en")
    saved = post(client, url + "/inspection", {**form, "summary_en": "No deficiencies found."})
    assert saved.status_code == 302
    inspection = db.session.scalars(select(Inspection)).one()
    assert (inspection.summary, inspection.summary_en) == ("Кемшіліктер анықталған жоқ.",
                                                           "No deficiencies found.")
    printed = enterprise_context(db.session.get(Application, application.id))
    assert printed["inspection"]["summary"] == "No deficiencies found."
    inspection.summary_en = ""  # recorded before the dossier's version existed
    db.session.commit()
    printed = enterprise_context(db.session.get(Application, application.id))
    assert printed["inspection"]["summary"] == ""  # not the Kazakh text


def test_the_demo_dossier_prints_no_cyrillic_in_these_fields():
    for spec in SPECS:
        assert not CYRILLIC.search(spec["representative"] + spec["legal_address"]), spec["bin"]
