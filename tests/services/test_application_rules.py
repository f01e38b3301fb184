"""Application rules: product lines, what submission needs, and the transitions."""

import io
from datetime import date

import pytest
from sqlalchemy import func, select, update

from certtrack.domain.workflow import IllegalTransition
from certtrack.extensions import db
from certtrack.models import (
    Application,
    ApplicationProduct,
    AuditEvent,
    Document,
    MarketAccess,
)
from certtrack.services import applications, documents
from certtrack.services.errors import NotFound, ValidationFailed
from certtrack.services.inputs import ApplicationInput, ProductInput

from factories import PDF_BYTES, QUESTIONNAIRE, make_exporter_with_application


def _lines() -> int:
    return db.session.scalar(select(func.count()).select_from(ApplicationProduct))


def _new(user, establishment, **changes) -> Application:
    return applications.create_application(
        user, ApplicationInput.from_mapping(
            {**QUESTIONNAIRE, "establishment_id": establishment.id, **changes}))


@pytest.fixture
def exporter(ctx):
    """An exporter with an enterprise, an establishment and an empty wheat draft."""
    user, _e, establishment, application = make_exporter_with_application(complete=False)
    return user, establishment, application


def _line(product="wheat", volume=100, unit="t"):
    return {"product_code": product, "annual_volume": volume, "volume_unit": unit}


def test_product_of_another_category_is_refused(exporter):
    user, _s, application = exporter
    with pytest.raises(ValidationFailed) as refused:
        applications.add_product(
            user, application, ProductInput.from_mapping(_line("beef_chilled")))
    assert list(refused.value.errors) == ["product_code"]
    assert "category" in refused.value.errors["product_code"][0]
    assert _lines() == 0


@pytest.mark.parametrize(("line", "fields"), [
    (_line("no_such_product"), {"product_code"}),
    (_line(unit="bags"), {"volume_unit"}),
    (_line("pork", unit="barrels"), {"product_code", "volume_unit"}),
])
def test_product_line_problems_are_reported(exporter, line, fields):
    user, _s, application = exporter
    with pytest.raises(ValidationFailed) as refused:
        applications.add_product(user, application, ProductInput.from_mapping(line))
    assert set(refused.value.errors) == fields
    assert _lines() == 0


def test_duplicate_product_is_refused(exporter):
    user, _s, application = exporter
    applications.add_product(user, application, ProductInput.from_mapping(_line()))
    with pytest.raises(ValidationFailed) as refused:
        applications.add_product(user, application, ProductInput.from_mapping(_line(volume=7)))
    assert "already" in refused.value.errors["product_code"][0]
    assert _lines() == 1


def test_changing_the_category_drops_products_of_the_old_one(exporter):
    user, establishment, application = exporter
    applications.add_product(user, application, ProductInput.from_mapping(_line()))
    applications.update_application(user, application, ApplicationInput.from_mapping({
        **QUESTIONNAIRE, "establishment_id": establishment.id,
        "gacc_category_code": "oilseeds", "version": application.version}))
    assert application.gacc_category_code == "oilseeds"
    assert _lines() == 0


def test_line_of_another_application_cannot_be_removed(exporter):
    user, establishment, application = exporter
    other = _new(user, establishment)
    line = applications.add_product(user, other, ProductInput.from_mapping(_line()))
    with pytest.raises(ValidationFailed, match="no longer on the application"):
        applications.remove_product(user, application, line.id)
    assert _lines() == 1


def _missing(application, locale: str = "en") -> list[str]:
    """What stops the submission, in words."""
    return [item.message for item in applications.missing_for_submission(application, locale)]


def _missing_documents(application) -> set[str]:
    return {item for item in _missing(application) if item.startswith("Document: ")}


@pytest.mark.parametrize(("category", "kind", "needed", "not_needed"), [
    ("edible_grains", "new", set(),
     {"Veterinary-sanitary conclusion on the establishment", "Declaration of continued compliance",
      "Table of changed items with proof"}),
    ("meat", "new", {"Veterinary-sanitary conclusion on the establishment"},
     {"Declaration of continued compliance"}),
    ("dairy", "renewal", {"Veterinary-sanitary conclusion on the establishment",
                          "Declaration of continued compliance"},
     {"Table of changed items with proof"}),
    ("edible_grains", "renewal", {"Declaration of continued compliance"},
     {"Veterinary-sanitary conclusion on the establishment"}),
    ("oilseeds", "change", {"Table of changed items with proof"},
     {"Declaration of continued compliance"}),
])
def test_required_documents_depend_on_category_and_kind(exporter, category, kind, needed,
                                                        not_needed):
    """Every kind sends the plant's floor plans and flow charts (domain.md §6 lists them for
    all; a renewal or a change went without them), and its own documents besides."""
    user, establishment, _a = exporter
    application = _new(user, establishment, gacc_category_code=category)
    application.kind = kind  # a renewal or a change stands on a registration (not made here)
    db.session.commit()
    missing = _missing_documents(application)
    common = {"Request and GACC questionnaire", "State registration certificate (BIN)",
              "Establishment registration or accounting number", "HACCP plan or certificate",
              "Traceability procedure", "Floor plans of the plant, workshops and cold stores",
              "Process flow charts"}
    assert {f"Document: {name}." for name in common | needed} <= missing
    assert not {f"Document: {name}." for name in not_needed} & missing
    assert len(missing) == len(common | needed)


def test_missing_lists_products_and_questionnaire(exporter):
    user, establishment, _a = exporter
    application = applications.create_application(user, ApplicationInput.from_mapping({
        "kind": "new", "gacc_category_code": "meat", "establishment_id": establishment.id}))
    missing = _missing(application)
    assert "At least one product with its annual volume." in missing
    for label in ("HACCP", "Traceability procedure", "Production capacity", "Water source",
                  "Staff"):
        assert f"Questionnaire: {label}." in missing


def test_a_product_china_no_longer_accepts_stops_the_submission(ctx):
    """Market access was checked when a product was added only: a protocol suspended since
    (the administrator's market-access page) let the draft be submitted."""
    user, _e, _establishment, application = make_exporter_with_application()
    assert not _missing(application)
    db.session.get(MarketAccess, ("wheat", "CN")).protocol_status = "none"
    db.session.commit()
    assert _missing(application) == [
        "No protocol with China covers Wheat (HS 1001): China does not accept it yet."]
    with pytest.raises(ValidationFailed):
        applications.submit_application(user, application)
    assert db.session.get(Application, application.id).state == "draft"


def test_each_missing_item_says_where_it_is_fixed(exporter):
    user, establishment, _a = exporter
    application = applications.create_application(user, ApplicationInput.from_mapping({
        "kind": "new", "gacc_category_code": "meat", "establishment_id": establishment.id}))
    places = {(item.kind, item.code): item.message
              for item in applications.missing_for_submission(application)}
    assert places[("product", "")] == "At least one product with its annual volume."
    assert places[("questionnaire", "haccp_status")] == "Questionnaire: HACCP."
    assert places[("questionnaire", "staff_count")] == "Questionnaire: Staff."
    assert places[("document", "haccp")] == "Document: HACCP plan or certificate."
    assert {kind for kind, _code in places} == {"product", "questionnaire", "document"}


def test_document_names_follow_the_locale(exporter):
    _u, _s, application = exporter
    missing = _missing(application, "ru")
    assert "Document: Технологические схемы производства." in missing


def test_complete_application_misses_nothing_until_a_document_is_rejected(ctx):
    _u, _e, _s, application = make_exporter_with_application(complete=True)
    assert applications.missing_for_submission(application) == []
    db.session.execute(update(Document).where(Document.document_type_code == "haccp")
                       .values(review_status="rejected"))
    db.session.commit()
    db.session.expire_all()
    assert _missing(application) == ["Document: HACCP plan or certificate."]


def test_uploading_a_new_version_replaces_a_rejected_document(ctx):
    user, _e, _s, application = make_exporter_with_application(complete=True)
    db.session.execute(update(Document).values(review_status="rejected")
                       .where(Document.document_type_code == "haccp"))
    db.session.commit()
    db.session.expire_all()
    documents.upload_document(user, application, "haccp", io.BytesIO(PDF_BYTES + b"%v2"),
                              "haccp-v2.pdf")
    db.session.expire_all()
    assert applications.missing_for_submission(application) == []


def test_submit_refuses_an_incomplete_draft(exporter):
    user, _s, application = exporter
    with pytest.raises(ValidationFailed) as refused:
        applications.submit_application(user, application)
    assert refused.value.message == "The application is not complete yet."
    assert "At least one product with its annual volume." in refused.value.errors[""]
    assert application.state == "draft"


def test_submit_sets_the_deadline_from_the_working_calendar(ctx, monkeypatch):
    monkeypatch.setattr(applications, "local_today", lambda: date(2026, 12, 11))  # Friday
    user, _e, _s, application = make_exporter_with_application(complete=True)
    deadline = applications.submit_application(user, application)
    # Monday 14th works, Tuesday 15th works; Independence Day (16th) is not reached.
    assert deadline == date(2026, 12, 15)
    db.session.expire_all()
    assert db.session.get(Application, application.id).stage_deadline == deadline


def test_second_submit_is_an_illegal_transition(ctx):
    user, _e, _s, application = make_exporter_with_application(complete=True)
    applications.submit_application(user, application)
    with pytest.raises(IllegalTransition):
        applications.submit_application(user, application)
    submits = db.session.scalar(select(func.count()).select_from(AuditEvent)
                                .where(AuditEvent.action == "submit"))
    assert submits == 1


def test_submitted_application_can_no_longer_be_edited(ctx):
    user, _e, _s, application = make_exporter_with_application(complete=True)
    applications.submit_application(user, application)
    with pytest.raises(IllegalTransition):  # the state refuses it (409), not the role (403)
        applications.add_product(user, application, ProductInput.from_mapping(_line("barley")))


def test_withdrawn_application_cannot_be_withdrawn_again(exporter):
    user, _s, application = exporter
    applications.withdraw_application(user, application, "changed plans")
    with pytest.raises(IllegalTransition):
        applications.withdraw_application(user, application)
    withdrawals = db.session.scalar(select(func.count()).select_from(AuditEvent)
                                    .where(AuditEvent.action == "withdraw"))
    assert withdrawals == 1


def test_another_exporter_gets_not_found(ctx):
    _owner, _e, _s, application = make_exporter_with_application("940140000385",
                                                                 complete=False)
    other, _e2, _s2, _a2 = make_exporter_with_application("961141000023", complete=False)
    for call in (lambda: applications.get_application(other, application.id),
                 lambda: applications.withdraw_application(other, application),
                 lambda: applications.add_product(
                     other, application, ProductInput.from_mapping(_line()))):
        with pytest.raises(NotFound):
            call()
    assert application.state == "draft"
