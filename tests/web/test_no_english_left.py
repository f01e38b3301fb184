"""A Kazakh or Chinese user meets no English sentence of the interface: the visible text of the
busiest pages (the exporter's application and the product finder of a new one, the inspector's
review, the registrar's registration) and of the explanations of terms holds none of the English
catalog's messages whose translation differs; the laboratory and inspection pages hold no
English name, matrix or source of the reference data either."""

import html
import re
from decimal import Decimal
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from flask import g
from sqlalchemy import select

from certtrack.extensions import db
from certtrack.models import Inspection, LabResult, QuarantineMeasurement, User
from certtrack.services import laboratory, quarantine
from certtrack.services.applications import local_today
from certtrack.services.inputs import LabResultInput, SampleInput

from factories import (
    make_application_for_lab,
    make_registration,
    make_submitted_application,
    make_user,
)
from forms import login

CATALOG = Path(__file__).resolve().parents[2] / "certtrack" / "translations"
TAGS = re.compile(r"<script.*?</script>|<style.*?</style>|<[^>]+>", re.S)


def _english_sentences(language: str) -> list[str]:
    """The catalog's messages long enough to be a phrase (so that "PDF" or "BIN", the same in
    every language, do not count), whose translation into `language` differs."""
    with open(CATALOG / language / "LC_MESSAGES" / "messages.po", "rb") as po:
        catalog = read_po(po)
    found = []
    for message in catalog:
        if not message.id or isinstance(message.id, tuple) or "%(" in message.id:
            continue
        if len(message.id) >= 14 and " " in message.id and message.string != message.id:
            found.append(message.id)
    return found


def _visible(page: str) -> str:
    return " ".join(html.unescape(TAGS.sub(" ", page)).split())


def _speak(email: str, language: str) -> None:
    user = db.session.query(User).filter_by(email=email).one()
    user.locale = language
    db.session.commit()
    g.pop("_flask_babel", None)


@pytest.mark.parametrize("language", ["kk", "zh"])
def test_the_busiest_pages_show_no_english_sentence(ctx, app, language):
    inspector = make_user("inspector", committee="phytosanitary", regions=["KZ-11"])
    registrar = make_user("registrar")
    exporter, application = make_submitted_application()
    _owner, _listed, registration = make_registration(registrar, application.submitted_at.date())
    english = _english_sentences(language)
    assert len(english) > 500
    pages = [(exporter.email, f"/exporter/applications/{application.id}"),
             (exporter.email, "/exporter/applications/new?find=seed"),
             (exporter.email, "/help/terms"),
             (inspector.email, f"/inspector/applications/{application.id}"),
             (registrar.email, f"/registrar/registrations/{registration.id}")]
    for email, url in pages:
        client = app.test_client()  # a browser of its own for each person
        login(client, email)
        _speak(email, language)
        page = client.get(url)
        assert page.status_code == 200 and f'<html lang="{language}"' in page.get_data(True)
        text = _visible(page.get_data(as_text=True))
        left = [sentence for sentence in english if sentence in text]
        assert left == [], (url, left[:5])


def _tested_application():
    """A wheat application in laboratory testing: an on-site inspection with quarantine
    measurements, a sample and its results (a banned-substance-free cereal panel)."""
    _exporter, inspector, application = make_application_for_lab("lab_testing")
    inspection = Inspection(application_id=application.id, mode="on_site",
                            scheduled_for=local_today(), performed_on=local_today(),
                            summary="")
    inspection.inspectors = [inspector]
    db.session.add(inspection)
    db.session.flush()
    for measure, value in (("moisture", "13.1"), ("weed_seeds", "0")):
        requirement = quarantine.requirement_for("wheat", measure)
        db.session.add(QuarantineMeasurement(
            inspection_id=inspection.id, application_id=application.id, product_code="wheat",
            measure=measure, value=Decimal(value), unit=requirement.unit,
            verdict="non_compliant" if measure == "moisture" else "compliant",
            requirement_value=requirement.value, requirement_kind=requirement.kind,
            requirement_source=f"{requirement.standard}, {requirement.clause}",
            requirement_confidence=requirement.confidence))
    db.session.commit()
    sample = laboratory.record_sample(inspector, application, SampleInput.from_mapping({
        "code": "S-1", "product_code": "wheat", "taken_on": local_today(), "matrix": "бидай",
        "laboratory": "Akmola regional laboratory"}))
    limits = {limit.parameter_code: limit for limit in laboratory.limits_for_sample(sample)}
    for code, value, detected in (("deoxynivalenol", "1200", None), ("lead", "0.05", None),
                                  ("tilletia_controversa", None, "no")):
        laboratory.record_result(inspector, application, sample, LabResultInput.from_mapping({
            "limit_id": limits[code].id, "value": Decimal(value) if value else None,
            "unit": "µg/kg" if code == "deoxynivalenol" else "mg/kg" if value else None,
            "detected": detected, "tested_on": local_today()}))
    return inspector, application, sample


def _english_reference_texts(application) -> list[str]:
    """The English names, matrices and sources of the application's results and measurements
    (the reference files translate each of them)."""
    texts = []
    for row in db.session.scalars(select(LabResult).where(
            LabResult.application_id == application.id)):
        texts += [row.parameter, row.limit.matrix, row.limit_source]
    for row in db.session.scalars(select(QuarantineMeasurement).where(
            QuarantineMeasurement.application_id == application.id)):
        texts.append(row.requirement_source)
    return [text for text in texts if len(text) >= 12]


@pytest.mark.parametrize("language", ["kk", "zh"])
def test_the_laboratory_and_inspection_pages_show_no_english(ctx, app, language):
    """The inspector's application page (inspection, measurements, samples and results) and a
    sample's result page: no English sentence, no English parameter, matrix or source."""
    inspector, application, sample = _tested_application()
    english = _english_sentences(language) + _english_reference_texts(application)
    client = app.test_client()
    login(client, inspector.email)
    _speak(inspector.email, language)
    base = f"/inspector/applications/{application.id}"
    for url in (base, f"{base}/samples/{sample.id}/results"):
        page = client.get(url)
        assert page.status_code == 200 and f'<html lang="{language}"' in page.get_data(True)
        text = _visible(page.get_data(as_text=True))
        assert "GB 2761-2017" in text and "GB 2762-2022" in text  # the results are shown
        left = [sentence for sentence in english if sentence in text]
        assert left == [], (url, left[:5])
