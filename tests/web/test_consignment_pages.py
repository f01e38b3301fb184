"""The consignment pages: the exporter's request and the inspector's work, through the browser's
forms (CSRF, 422 with the reason on the page, redirects after success)."""

import html
import io
import re
from dataclasses import replace
from datetime import timedelta
from decimal import Decimal

import pytest
from babel.numbers import format_decimal
from flask import g
from flask_babel import format_date
from sqlalchemy import func, select

from certtrack.extensions import db
from certtrack.models import (
    AuditEvent,
    Consignment,
    ConsignmentCertificate,
    ConsignmentCertificateCounter,
    Notification,
    OutboxEmail,
)
from certtrack.services import status_changes
from certtrack.services.applications import local_today
from certtrack.services.audit import record_event
from certtrack.services.consignments import drafts, inspection, issue
from certtrack.services.consignments.inputs import LabResultInput
from certtrack.services.inputs import StatusChangeInput
from certtrack.services.transaction import transaction

from consignment_factories import BEEF_LOT, WHEAT_LOT, header, inspect_ready, make_consignment
from factories import make_exporter_with_application, make_user
from forms import login, post


def _exporter_client(client, exporter):
    login(client, exporter.email)
    return client


def _new_form(registration, **changes) -> dict:
    data = {"registration_id": str(registration.id), "consignee_name": "新疆粮食进口有限公司",
            "consignee_address": "乌鲁木齐市", "conveyance": "rail_wagon",
            "crossing_code": "altynkol_khorgos", "origin_region_code": "KZ-11",
            "place_of_origin": "Kokshetau"}
    data.update(changes)
    return data


def test_every_mistake_of_a_new_consignment_shows_in_one_answer_and_nothing_is_lost(ctx,
                                                                                   client):
    exporter, _inspector, registration, _other = make_consignment("phyto", submit=False)
    _exporter_client(client, exporter)
    before = db.session.scalar(select(func.count(Consignment.id)))
    today = local_today()
    response = post(client, "/exporter/consignments/new", _new_form(
        registration, consignee_name="ТОО Рога и копыта", storage_temperature="99",
        place_of_origin="Қостанай", production_from=today.isoformat(),
        production_to=(today - timedelta(days=1)).isoformat()))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Write the consignee in Latin or Chinese script" in page
    assert "The last production day cannot be before the first." in page
    assert "Enter a number between -60 and 40." in page
    # in the same answer (it came in a second round)
    assert "reads prints it: Kostanay for Қостанай, say." in page
    assert 'value="ТОО Рога и копыта"' in page  # kept, to be corrected
    assert '<option selected value="altynkol_khorgos">' in page  # in its group, still chosen
    assert db.session.scalar(select(func.count(Consignment.id))) == before


def test_the_exporter_requests_a_consignment_from_the_form_to_submission(ctx, client):
    exporter, _inspector, registration, _other = make_consignment("phyto", submit=False)
    _exporter_client(client, exporter)
    form_page = client.get("/exporter/consignments/new").get_data(as_text=True)
    assert registration.china_number in form_page
    assert "Altynkol" in form_page
    # its one registration in force is chosen already, not "Choose…"
    assert f'<option selected value="{registration.id}">' in form_page
    response = post(client, "/exporter/consignments/new", _new_form(registration))
    assert response.status_code == 302
    consignment = db.session.scalar(select(Consignment).order_by(Consignment.id.desc()))
    assert consignment.consignee_name == "新疆粮食进口有限公司"
    detail = f"/exporter/consignments/{consignment.id}"
    assert response.headers["Location"].endswith(detail)
    # A product outside the registration's is not on offer, and is refused if posted.
    page = client.get(detail).get_data(as_text=True)
    offered = re.search(r'<select[^>]*id="product_code"[^>]*>(.*?)</select>', page, re.S)[1]
    assert "1001" in offered and "0202" not in offered  # (a CSRF token's digits held "0202")
    lot = {"product_code": "beef_frozen", "net_weight": "10", "gross_weight": "11",
           "weight_unit": "t", "packages_number": "1", "packages_kind": "bulk"}
    assert post(client, f"{detail}/lots", lot).status_code == 422
    lot["product_code"] = "wheat"
    lot["marks"] = "Wagon 95123451, seal KZ 1"
    assert post(client, f"{detail}/lots", lot).status_code == 302
    upload = post(client, f"{detail}/documents", {
        "kind": "contract", "file": (io.BytesIO(b"%PDF-1.4\n%%EOF\n"), "contract.pdf")},
        content_type="multipart/form-data")
    assert upload.status_code == 302
    # a wrong file is removed from the draft (there was no way to), and recorded
    wrong = post(client, f"{detail}/documents", {
        "kind": "lab_report", "file": (io.BytesIO(b"%PDF-1.4\n%%EOF\n%x"), "cert3.pdf")},
        content_type="multipart/form-data")
    assert wrong.status_code == 302
    db.session.refresh(consignment)
    mistaken = next(d for d in consignment.documents if d.original_name == "cert3.pdf")
    assert f"/documents/{mistaken.id}/delete" in client.get(detail).get_data(as_text=True)
    removed = post(client, f"{detail}/documents/{mistaken.id}/delete", {"confirm": "y"})
    assert removed.status_code == 302
    db.session.expire_all()
    assert [d.original_name for d in db.session.get(Consignment, consignment.id).documents] \
        == ["contract.pdf"]
    assert db.session.scalar(select(AuditEvent.data).where(
        AuditEvent.action == "consignment_document_removed"))["name"] == "cert3.pdf"
    unconfirmed = post(client, f"{detail}/submit", {"version": str(consignment.version)})
    assert unconfirmed.status_code == 422
    assert "only withdraw it" in unconfirmed.get_data(as_text=True)
    assert "Tick the box to confirm." in unconfirmed.get_data(as_text=True)
    db.session.refresh(consignment)
    assert consignment.state == "draft"
    response = post(client, f"{detail}/submit",
                    {"confirm": "y", "version": str(consignment.version)})
    assert response.status_code == 302
    page = client.get(detail).get_data(as_text=True)
    assert "Submitted" in page and "Wagon 95123451" in page and "contract.pdf" in page
    db.session.refresh(consignment)
    assert consignment.state == "submitted" and consignment.deadline is not None
    # the documents open, for the exporter and the inspector (they were names only)
    link = re.search(r'href="(/consignment-documents/\d+)">contract\.pdf<', page).group(1)
    download = client.get(link)
    assert download.status_code == 200 and download.data == b"%PDF-1.4\n%%EOF\n"
    assert "contract.pdf" in download.headers["Content-Disposition"]
    inspector_page = _inspector_client(client.application.test_client(), _inspector).get(
        f"/inspector/consignments/{consignment.id}")
    assert link in inspector_page.get_data(as_text=True)


def test_submission_under_a_suspended_registration_is_refused_with_the_reason(ctx, client):
    exporter, _inspector, registration, consignment = make_consignment("phyto", submit=False)
    status_changes.change_status(make_user("registrar"), registration, "suspend",
                                StatusChangeInput.from_mapping({
        "authority": "gacc", "suspended_from": local_today(), "reason": "GACC notice"}))
    _exporter_client(client, exporter)
    response = post(client, f"/exporter/consignments/{consignment.id}/submit",
                    {"confirm": "y", "version": str(consignment.version)})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "suspended" in page.lower() and registration.china_number in page
    db.session.refresh(consignment)
    assert consignment.state == "draft"


WAGON_MISSING = ("The wagon number of each lot (8 digits, such as 95123451, its last digit the "
                 "check digit), in its distinguishing marks.")
CONTAINER_MISSING = ("The container number of each lot (ISO 6346, such as MSKU 1234565, its last "
                     "digit the check digit), in its distinguishing marks.")


def test_a_wagons_lot_without_its_number_is_not_submitted(ctx, client):
    """A rail consignment went to the inspection with a lot of no marks at all: the border
    matches the wagon numbers the certificate prints with the wagons."""
    exporter, _inspector, _registration, consignment = make_consignment("phyto", submit=False)
    drafts.add_lot(exporter, consignment, replace(WHEAT_LOT, marks=""))
    _exporter_client(client, exporter)
    detail = f"/exporter/consignments/{consignment.id}"
    assert f"{WAGON_MISSING} To correct: Wheat with no marks." in html.unescape(
        client.get(detail).get_data(as_text=True))
    page = client.get(detail).get_data(as_text=True)
    assert 'aria-disabled="true" aria-describedby="submit-missing"' in page
    for sent in ({}, {"confirm": "y"}):  # the page shows no box while something is missing
        response = post(client, f"{detail}/submit",
                        {**sent, "version": str(consignment.version)})
        assert response.status_code == 422
        answer = html.unescape(response.get_data(as_text=True))
        assert WAGON_MISSING in answer
        assert "Tick the box to confirm." not in answer  # it said so, of a box not shown
    db.session.refresh(consignment)
    assert consignment.state == "draft"


@pytest.mark.parametrize(("kind", "marks", "missing"), [
    ("phyto", "seal KZ 778812", WAGON_MISSING),  # a seal, and no wagon: it went through
    ("phyto", "Wagon 9512345, seal KZ 778812", WAGON_MISSING),  # a digit short
    ("phyto", "Wagon 95123415, seal KZ 778812", WAGON_MISSING),  # two digits swapped
    ("vet", "Container MSKU 1234566, seal 004512", CONTAINER_MISSING),  # its check digit wrong
    ("vet", "seal 004512", CONTAINER_MISSING)])
def test_a_lot_whose_marks_name_no_wagon_or_container_is_not_submitted(ctx, client, kind,
                                                                       marks, missing):
    """Any marks at all passed: the border matches the wagon or container number with the
    goods, and a seal number alone, or a mistyped container number, matches nothing."""
    exporter, _inspector, _registration, consignment = make_consignment(kind, submit=False)
    for lot in list(consignment.lots):
        drafts.remove_lot(exporter, consignment, lot.id)
    lot = WHEAT_LOT if kind == "phyto" else BEEF_LOT
    drafts.add_lot(exporter, consignment, replace(lot, marks=marks))
    _exporter_client(client, exporter)
    answer = post(client, f"/exporter/consignments/{consignment.id}/submit",
                  {"confirm": "y", "version": str(consignment.version)})
    product = "Wheat" if kind == "phyto" else "Beef, frozen"
    said = f"{missing} To correct: {product} marked “{marks}”."  # which lot, of several
    assert answer.status_code == 422 and said in html.unescape(answer.get_data(as_text=True))
    db.session.refresh(consignment)
    assert consignment.state == "draft"
    bad = consignment.lots[0].id
    drafts.add_lot(exporter, consignment, lot)  # a lot marked right beside it: still asked,
    assert said in drafts.missing_for_submission(consignment)  # of the other one alone
    drafts.remove_lot(exporter, consignment, bad)
    db.session.refresh(consignment)
    assert not [text for text in drafts.missing_for_submission(consignment) if missing in text]


TRUCK_MISSING = ("The truck's registration plate and seal number of each lot, in its "
                 "distinguishing marks.")


def test_a_trucks_lot_with_no_marks_is_not_submitted(ctx, client):
    """A beef consignment by truck was certified with its marks column empty: nothing for the
    border to match the truck with."""
    exporter, _inspector, registration, consignment = make_consignment("vet", submit=False)
    drafts.update_consignment(exporter, consignment, header(
        registration, conveyance="truck", crossing_code="nur_zholy_khorgos",
        origin_region_code="KZ-11", production_from=consignment.production_from,
        production_to=consignment.production_to,
        storage_temperature=consignment.storage_temperature))
    drafts.remove_lot(exporter, consignment, consignment.lots[0].id)
    drafts.add_lot(exporter, consignment, replace(BEEF_LOT, marks=""))
    _exporter_client(client, exporter)
    answer = post(client, f"/exporter/consignments/{consignment.id}/submit",
                  {"confirm": "y", "version": str(consignment.version)})
    assert answer.status_code == 422
    assert (f"{TRUCK_MISSING} To correct: Beef, frozen with no marks."
            in html.unescape(answer.get_data(as_text=True)))
    db.session.refresh(consignment)
    assert consignment.state == "draft"
    drafts.remove_lot(exporter, consignment, consignment.lots[0].id)
    drafts.add_lot(exporter, consignment, replace(BEEF_LOT, marks="Truck 123 ABC 02, seal 4471"))
    assert not [text for text in drafts.missing_for_submission(consignment)
                if TRUCK_MISSING in text]


def test_withdrawal_needs_a_reason_and_a_confirmation(ctx, client):
    exporter, _inspector, _registration, consignment = make_consignment("phyto")
    _exporter_client(client, exporter)
    url = f"/exporter/consignments/{consignment.id}/withdraw"
    version = str(consignment.version)
    response = post(client, url, {"version": version, "reason": "Buyer cancelled"})
    assert response.status_code == 422
    assert "Tick the box to confirm." in response.get_data(as_text=True)
    assert post(client, url, {"version": version, "confirm": "y"}).status_code == 422
    db.session.refresh(consignment)
    assert consignment.state == "submitted"
    assert post(client, url, {"version": version, "confirm": "y",
                              "reason": "Buyer cancelled"}).status_code == 302
    db.session.refresh(consignment)
    assert consignment.state == "withdrawn"


@pytest.mark.engine  # run on PostgreSQL too (conftest.py)
def test_the_list_filters_by_state_and_hides_other_enterprises(ctx, client):
    exporter, _i, _r, submitted = make_consignment("phyto")
    other, _i2, _r2, foreign = make_consignment("vet", region="KZ-39")
    _exporter_client(client, exporter)
    page = client.get("/exporter/consignments/?state=submitted").get_data(as_text=True)
    assert submitted.reference in page and foreign.reference not in page
    assert submitted.reference not in client.get(
        "/exporter/consignments/?state=draft").get_data(as_text=True)
    assert client.get(f"/exporter/consignments/{foreign.id}").status_code == 404
    assert post(client, f"/exporter/consignments/{foreign.id}/withdraw",
                {"reason": "x", "confirm": "y"}).status_code == 404


def _inspector_client(client, inspector):
    login(client, inspector.email)
    return client


def test_the_inspector_queue_shows_the_deadline_and_flags_overdue(ctx, client):
    _e, inspector, _r, consignment = make_consignment("vet")
    consignment.deadline = local_today() - timedelta(days=1)
    db.session.commit()
    _inspector_client(client, inspector)
    page = client.get("/inspector/consignments/").get_data(as_text=True)
    assert consignment.reference in page and "overdue" in page
    assert consignment.reference in client.get(
        "/inspector/consignments/?overdue=1").get_data(as_text=True)


def test_the_queue_names_each_product_once(ctx, client):
    """A train of two wheat lots read "Wheat, Wheat" in the products column."""
    exporter, inspector, _r, consignment = make_consignment("phyto", submit=False)
    drafts.add_lot(exporter, consignment, replace(WHEAT_LOT, marks="Wagon 95123469"))
    drafts.submit_consignment(exporter, consignment)
    _inspector_client(client, inspector)
    page = client.get("/inspector/consignments/").get_data(as_text=True)
    row = page.split(consignment.reference)[1].split("</tr>")[0]
    assert len(consignment.lots) == 2
    assert row.count("Wheat") == 1


def test_the_exporters_lists_say_overdue_in_words(ctx, client):
    """The exporter's lists showed an overdue deadline as a plain date; the inspector's queue
    and the detail pages said "— overdue"."""
    exporter, _inspector, _r, consignment = make_consignment("vet")
    consignment.deadline = local_today() - timedelta(days=1)
    db.session.commit()
    login(client, exporter.email)
    page = client.get("/exporter/consignments/").get_data(as_text=True)
    row = page.split(consignment.reference)[1].split("</tr>")[0]
    assert f"{format_date(consignment.deadline)} — overdue" in row
    _user, _e, _s, application = make_exporter_with_application("940140000385")
    application.stage_deadline = local_today() - timedelta(days=2)
    db.session.commit()
    login(client, _user.email)
    page = client.get("/exporter/").get_data(as_text=True)
    row = page.split(f'{application.reference}</a>')[1].split("</tr>")[0]
    assert f"{format_date(application.stage_deadline)} — overdue" in row


@pytest.mark.engine  # run on PostgreSQL too (conftest.py)
def test_an_issued_consignment_is_found_again_among_the_closed_ones(ctx, client):
    """The open queue no longer lists it; the closed tab does, and the search finds it by its
    certificate's number, its reference or the enterprise, without the overdue flag."""
    _e, inspector, _r, issued = make_consignment("phyto")
    inspect_ready(inspector, issued)
    certificate = issue.issue_consignment_certificate(inspector, issued)
    _e2, _i2, _r2, waiting = make_consignment("phyto")
    waiting.deadline = issued.deadline = local_today() - timedelta(days=1)
    db.session.commit()
    _inspector_client(client, inspector)
    queue = client.get("/inspector/consignments/").get_data(as_text=True)
    assert waiting.reference in queue and issued.reference not in queue
    closed = client.get("/inspector/consignments/?show=closed").get_data(as_text=True)
    assert issued.reference in closed and waiting.reference not in closed
    assert "<h1>Consignments issued, refused or withdrawn</h1>" in closed  # not "to certify"
    assert "<h1>Consignments to certify</h1>" in queue
    assert "overdue" not in closed[closed.index("<tbody>"):]
    for search in (certificate.number, certificate.number.lower(), issued.reference,
                   str(issued.id), issued.enterprise.bin):
        found = client.get("/inspector/consignments/", query_string={
            "show": "closed", "q": search}).get_data(as_text=True)
        assert issued.reference in found, search
    assert "No consignment in this view." in client.get(
        "/inspector/consignments/?show=closed&q=KZ-PC-1999-000001").get_data(as_text=True)
    assert waiting.reference not in client.get("/inspector/consignments/", query_string={
        "q": certificate.number}).get_data(as_text=True)


def test_the_inspection_form_holds_what_was_recorded(ctx, client):
    """It came back empty after the inspection was recorded: correcting the place meant typing
    the day, the result and the notes again, and a result left unchosen."""
    _e, inspector, _registration, consignment = make_consignment("phyto")
    _inspector_client(client, inspector)
    base = f"/inspector/consignments/{consignment.id}"
    post(client, f"{base}/start_inspection", {"version": str(consignment.version)})
    today = local_today().isoformat()
    assert post(client, f"{base}/inspection", {
        "inspected_on": today, "place": "Dostyk station, track 4", "result": "satisfactory",
        "notes": "Seals intact"}).status_code == 302
    page = client.get(base).get_data(as_text=True)
    form = page.split(f'action="{base}/inspection"')[1].split("</form>")[0]
    assert f'value="{today}"' in form and 'value="Dostyk station, track 4"' in form
    assert re.search(r'<option[^>]*value="satisfactory"[^>]*selected|<option[^>]*selected'
                     r'[^>]*value="satisfactory"', form)
    assert "Seals intact</textarea>" in form


def test_the_inspector_records_the_work_and_issues(ctx, client):
    _e, inspector, registration, consignment = make_consignment("phyto")
    _inspector_client(client, inspector)
    base = f"/inspector/consignments/{consignment.id}"
    assert post(client, f"{base}/start_inspection",
                {"version": str(consignment.version)}).status_code == 302
    today = local_today().isoformat()
    assert post(client, f"{base}/inspection", {"inspected_on": today, "place": "Dostyk",
                                               "result": "satisfactory"}).status_code == 302
    limit = next(limit for limit in inspection.limits_for(consignment) if limit.kind == "max")
    assert post(client, f"{base}/lab", {
        "laboratory": "Lab", "limit_id": str(limit.id), "sample_code": "S-7", "value": "0.001",
        "unit": limit.unit, "tested_on": today}).status_code == 302
    assert post(client, f"{base}/treatment", {
        "type": "fumigation", "active_substance": "aluminium phosphide",
        "concentration": "3 g/m³", "temperature": "20", "duration": "120 h",
        "treated_on": today}).status_code == 302
    db.session.refresh(consignment)
    refused = post(client, f"{base}/issue", {"version": str(consignment.version),
                                             "confirm": "y"})
    assert refused.status_code == 422  # the protocol's wording is not chosen yet
    assert "3 statements are not chosen" in refused.get_data(as_text=True)
    # The statements are boxes to tick, each with its whole text; none is ticked yet.
    page = client.get(base).get_data(as_text=True)
    boxes = re.findall(r'<input[^>]*name="codes"[^>]*>', page)
    available = inspection.available_declarations(consignment)
    assert len(boxes) == len(available) == 3
    assert all('type="checkbox"' in box and "checked" not in box for box in boxes)
    assert "<select" not in page[page.index('id="declarations"'):page.index('id="issue"')]
    assert post(client, f"{base}/declarations", {"codes": [
        d.code for d in available]}).status_code == 302
    page = client.get(base).get_data(as_text=True)
    assert all("checked" in box for box in re.findall(r'<input[^>]*name="codes"[^>]*>', page))
    section = page[page.index('id="declarations"'):page.index('id="issue"')]
    # Each statement once: its box (the chosen ones were listed above the boxes too).
    assert [html.unescape(section).count(d.text_in("en")) for d in available] == [1, 1, 1]
    # "Grown in areas free from dwarf bunt" waits for the lot's test for it.
    assert ("none yet for Tilletia controversa (dwarf bunt)"
            in page[page.index('id="issue"'):])
    assert "is what China" not in page
    for code in ("tilletia_controversa", "tilletia_indica"):  # dwarf bunt and Karnal bunt
        bunt = next(limit for limit in inspection.limits_for(consignment)
                    if limit.parameter_code == code)
        assert post(client, f"{base}/lab", {
            "laboratory": "Lab", "limit_id": str(bunt.id), "sample_code": "S-8",
            "detected": "no", "tested_on": today}).status_code == 302
    db.session.refresh(consignment)
    # Issuing cannot be undone: the page names the consequence, and without the box ticked
    # nothing is issued and no number is taken.
    assert "is what China" in client.get(base).get_data(as_text=True)
    unconfirmed = post(client, f"{base}/issue", {"version": str(consignment.version)})
    assert unconfirmed.status_code == 422
    assert "Tick the box to confirm." in unconfirmed.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(ConsignmentCertificate)) == 0
    response = post(client, f"{base}/issue", {"version": str(consignment.version),
                                              "confirm": "y"})
    assert response.status_code == 302
    page = client.get(base).get_data(as_text=True)
    certificate = db.session.scalar(select(ConsignmentCertificate))
    assert certificate.number in page and "aluminium phosphide" in page
    assert certificate.registration_id == registration.id
    # What a border officer sees when scanning it, one click away.
    public = re.search(r'<a href="([^"]+)">Public verification page</a>', page).group(1)
    assert public.startswith(f"/verify/consignment/{certificate.number}/")
    verified = client.get(public).get_data(as_text=True)
    assert 'id="certificate-status">Valid<' in verified
    # the district the certificate prints before its region, as the PDF and the exporter's
    # page give it (the public page gave the region alone)
    assert re.search(r'<dt>Region of origin</dt><dd id="origin">Kokshetau district, [^<]+</dd>',
                     verified)


def test_the_inspection_result_is_chosen_never_preset(ctx, client):
    """The list of results opened on "Satisfactory": an inspector who skipped it recorded a
    pass. It opens on "Choose…", and a result left unchosen is refused, nothing recorded."""
    _e, inspector, _registration, consignment = make_consignment("phyto")
    _inspector_client(client, inspector)
    base = f"/inspector/consignments/{consignment.id}"
    post(client, f"{base}/start_inspection", {"version": str(consignment.version)})
    page = client.get(base).get_data(as_text=True)
    select = re.search(r'<select[^>]*name="result".*?</select>', page, re.S).group(0)
    assert '<option value="">Choose…</option>' in select and "selected" not in select
    refused = post(client, f"{base}/inspection", {"inspected_on": local_today().isoformat(),
                                                  "place": "Dostyk", "result": ""})
    assert refused.status_code == 422
    assert 'value="Dostyk"' in refused.get_data(as_text=True)
    db.session.refresh(consignment)
    assert not consignment.inspection_result and consignment.inspected_on is None


def test_a_treatment_or_result_recorded_in_error_is_removed_before_issue(ctx, client):
    """A treatment prints on the certificate and a mistyped value judged non-compliant stops
    it: both can be removed while nothing is issued, and the audit trail keeps them."""
    _e, inspector, _registration, consignment = make_consignment("phyto")
    inspect_ready(inspector, consignment)
    _inspector_client(client, inspector)
    base = f"/inspector/consignments/{consignment.id}"
    today = local_today().isoformat()
    limit = next(limit for limit in inspection.limits_for(consignment) if limit.kind == "max")
    assert post(client, f"{base}/lab", {
        "laboratory": "Lab", "limit_id": str(limit.id), "sample_code": "S-9", "value": "1000000",
        "unit": limit.unit, "tested_on": today}).status_code == 302
    assert post(client, f"{base}/treatment", {
        "type": "heat", "temperature": "56", "duration": "30 min",
        "treated_on": today}).status_code == 302
    db.session.refresh(consignment)
    result = next(r for r in consignment.lab_results if r.sample_code == "S-9")
    treatment = next(t for t in consignment.treatments if t.type == "heat")
    page = client.get(base).get_data(as_text=True)
    assert "Non-compliant laboratory results" in page
    assert f"/lab/{result.id}/delete" in page and f"/treatments/{treatment.id}/delete" in page

    # A deletion: it names its consequence and asks for a reason and a tick; without them
    # nothing is deleted.
    entries = len(consignment.lab_results) + len(consignment.treatments)
    assert page.count("the audit trail keeps it with your reason") == entries == 6
    unconfirmed = post(client, f"{base}/lab/{result.id}/delete", {"reason": "Typo in name"})
    assert unconfirmed.status_code == 422
    refused_page = unconfirmed.get_data(as_text=True)
    assert "Tick the box to confirm." in refused_page
    assert refused_page.count('<details class="destructive" open>') == 1  # that row's form
    ids = re.findall(r'\sid="([^"]+)"', refused_page)
    assert [i for i, n in __import__("collections").Counter(ids).items() if n > 1] == []
    no_reason = post(client, f"{base}/treatments/{treatment.id}/delete", {"confirm": "y"})
    assert no_reason.status_code == 422
    db.session.expire_all()
    assert result in consignment.lab_results and treatment in consignment.treatments
    # Through another consignment's address, the result is not found and stays.
    _e2, _i2, _r2, other = make_consignment("phyto")
    post(client, f"/inspector/consignments/{other.id}/lab/{result.id}/delete",
         {"reason": "Typo in name", "confirm": "y"})
    db.session.expire_all()
    assert result in consignment.lab_results
    removed = post(client, f"{base}/lab/{result.id}/delete",
                   {"reason": "1000000 typed for 0.01", "confirm": "y"})
    assert removed.status_code == 302 and removed.location.endswith("#laboratory")
    assert post(client, f"{base}/treatments/{treatment.id}/delete",
                {"reason": "Recorded on the wrong consignment", "confirm": "y"}).status_code == 302
    page = client.get(base).get_data(as_text=True)
    assert "The treatment was removed." in page
    assert "Non-compliant laboratory results" not in page  # it no longer stops the issue
    # but the staff still see it, with who removed it, when and why
    removed_list = re.search(r'<ul class="plain" id="removed-results">(.*?)</ul>', page,
                             re.S).group(1)
    assert "S-9" in removed_list and "Non-compliant" in removed_list
    assert "1000000 typed for 0.01" in removed_list and inspector.full_name in removed_list
    db.session.expire_all()
    assert all(r.sample_code != "S-9" for r in consignment.lab_results)
    assert all(t.type != "heat" for t in consignment.treatments)
    events = dict(db.session.execute(select(AuditEvent.action, AuditEvent.comment).where(
        AuditEvent.object_id == consignment.id, AuditEvent.object_type == "consignment")).all())
    assert events["consignment_lab_result_removed"] == "1000000 typed for 0.01"
    assert events["consignment_treatment_removed"] == "Recorded on the wrong consignment"

    # Once the certificate is issued, what it printed stays.
    issue.issue_consignment_certificate(inspector, consignment)
    kept = consignment.treatments[0]
    assert f"/treatments/{kept.id}/delete" not in client.get(base).get_data(as_text=True)
    refused = post(client, f"{base}/treatments/{kept.id}/delete",
                   {"reason": "Late, the train left", "confirm": "y"})
    assert refused.status_code == 302
    db.session.expire_all()
    assert kept in consignment.treatments


def test_issue_after_a_suspension_is_refused_with_the_reason_and_no_number(ctx, client):
    _e, inspector, registration, consignment = make_consignment("phyto")
    inspect_ready(inspector, consignment)
    status_changes.change_status(make_user("registrar"), registration, "suspend",
                                StatusChangeInput.from_mapping({
        "authority": "gacc", "suspended_from": local_today(), "reason": "GACC notice"}))
    _inspector_client(client, inspector)
    db.session.refresh(consignment)
    response = post(client, f"/inspector/consignments/{consignment.id}/issue",
                    {"version": str(consignment.version), "confirm": "y"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "suspended" in page.lower()
    assert db.session.scalar(select(func.count()).select_from(ConsignmentCertificate)) == 0
    assert db.session.scalar(select(func.count()).select_from(ConsignmentCertificateCounter)) == 0


def test_refusal_needs_a_reason_the_exporter_then_reads(app, ctx, client):
    exporter, inspector, _r, consignment = make_consignment("phyto")
    _inspector_client(client, inspector)
    url = f"/inspector/consignments/{consignment.id}/refuse"
    response = post(client, url, {"version": str(consignment.version), "confirm": "y"})
    assert response.status_code == 422
    assert "Please give a reason." in response.get_data(as_text=True)
    assert post(client, url, {"version": str(consignment.version), "confirm": "y",
                              "reason": "Live insects found"}).status_code == 302
    exporter_client = _exporter_client(app.test_client(), exporter)
    page = exporter_client.get(f"/exporter/consignments/{consignment.id}").get_data(as_text=True)
    assert "Refused" in page and "Live insects found" in page
    # by whom and when ("Refused: …" said neither)
    refusal = re.search(r'<div class="flash flash-error" role="alert" id="refusal">(.*?)</div>',
                        page, re.S).group(1)
    assert re.search(rf'<p class="muted">{re.escape(inspector.full_name)}, \w{{3}} \d', refusal)
    # and what to do next: a refused request stays closed (it said nothing more)
    assert ("This request is closed: to ship the goods, request a new consignment. "
            '<a href="/exporter/consignments/new">New consignment</a>') in refusal
    # and is told so, with the reason and a link to the consignment (it was told of an issue
    # only), by a notification and its e-mail
    notes = exporter_client.get("/notifications").get_data(as_text=True)
    assert (f"The certificate of consignment {consignment.reference} is refused: Live insects "
            "found") in notes
    note = db.session.scalar(select(Notification).where(
        Notification.user_id == exporter.id, Notification.kind == "consignment_refused"))
    assert note.endpoint == "consignments.detail"
    assert db.session.scalar(select(func.count()).select_from(OutboxEmail).where(
        OutboxEmail.recipient == exporter.email,
        OutboxEmail.body.contains("Live insects found"))) == 1


def test_the_inspectors_laboratory_results_read_in_kazakh(ctx, client):
    """A Kazakh inspector's consignment page: the parameters offered and recorded, the limit
    of a banned or absent organism, and the issue blocker, in Kazakh."""
    _e, inspector, _registration, consignment = make_consignment("phyto")
    _inspector_client(client, inspector)
    inspector.locale = "kk"
    db.session.commit()
    g.pop("_flask_babel", None)  # the test's application context outlives the requests
    base = f"/inspector/consignments/{consignment.id}"
    assert post(client, f"{base}/start_inspection",
                {"version": str(consignment.version)}).status_code == 302
    page = client.get(base).get_data(as_text=True)
    assert "дезоксиниваленол (ДОН) — дәнді дақылдар және олардың ұны" in page
    limits = {limit.parameter_code: limit for limit in inspection.limits_for(consignment)}
    today = local_today().isoformat()
    assert post(client, f"{base}/lab", {
        "laboratory": "Lab", "limit_id": str(limits["deoxynivalenol"].id), "sample_code": "S-7",
        "value": "1500", "unit": "µg/kg", "tested_on": today}).status_code == 302
    assert post(client, f"{base}/lab", {
        "laboratory": "Lab", "limit_id": str(limits["tilletia_controversa"].id),
        "sample_code": "S-7", "detected": "no", "tested_on": today}).status_code == 302
    page = client.get(base).get_data(as_text=True)
    results = page[page.index('id="laboratory"'):page.index('id="issue"')]
    assert "Tilletia controversa (бидайдың ергежейлі қатты қаракүйесі)" in results
    assert ">болмауы тиіс<" in results  # the limit of a quarantine organism
    # The limit judged against, in Kazakh digits and units: "≤ 1000 µg/kg" read the same in
    # every language, "≤ 0.2 mg/kg" too. The value's unit is as Kazakh laboratories write it.
    stored = next(r.limit_text for r in consignment.lab_results if r.limit_text.startswith("≤"))
    number = stored.split()[1]
    kazakh = format_decimal(Decimal(number), locale="kk", decimal_quantization=False)
    assert kazakh != number and f"≤ {kazakh} мкг/кг" in results and stored not in results
    assert "1\xa0500 мкг/кг" in results and "µg/kg" not in results
    db.session.refresh(consignment)  # stored, for the certificate to China, as typed
    assert {r.unit for r in consignment.lab_results} == {"µg/kg", None}
    for english in ("deoxynivalenol (DON)", "dwarf bunt", ">absent<"):
        assert english not in results, english
    issue = page[page.index('id="issue"'):]
    assert "дезоксиниваленол (ДОН)" in issue and "deoxynivalenol" not in issue


def test_an_issued_consignment_is_not_flagged_overdue_on_its_page(ctx, client):
    """The certificate's deadline matters while the request waits; once issued, its page no
    longer says it is due, let alone overdue."""
    exporter, inspector, _r, consignment = make_consignment("phyto")
    inspect_ready(inspector, consignment)
    issue.issue_consignment_certificate(inspector, consignment)
    consignment.deadline = local_today() - timedelta(days=3)
    db.session.commit()
    _exporter_client(client, exporter)
    page = client.get(f"/exporter/consignments/{consignment.id}").get_data(as_text=True)
    assert consignment.reference in page
    assert "Certificate due by" not in page and ">overdue<" not in page
    # nor its row in the list: "Deadline 28 Oct" beside a certificate issued weeks before
    row = re.search(rf"<tr>(?:(?!</tr>).)*{consignment.reference}.*?</tr>",
                    client.get("/exporter/consignments/").get_data(as_text=True), re.S).group(0)
    assert re.search(r'data-label="Deadline">—</td>', row)


def _issue_card(page: str) -> str:
    card = page[page.index('id="issue"'):]
    return card[:card.index("</section>")]


def test_the_issue_card_names_what_is_missing_and_offers_no_button_until_then(ctx, client):
    _e, inspector, _r, consignment = make_consignment("phyto")
    inspection.start_inspection(inspector, consignment)
    login(client, inspector.email)
    card = _issue_card(client.get(f"/inspector/consignments/{consignment.id}")
                       .get_data(as_text=True))
    assert "The certificate still needs" in card
    assert "A satisfactory inspection of the lot." in card
    # Not `disabled`: a keyboard reaches it, and a screen reader reads what is missing with it.
    assert re.search(r'<button type="submit" class="btn" aria-disabled="true" '
                     r'aria-describedby="issue-blockers">', card)
    assert '<ul class="missing" id="issue-blockers">' in card and " disabled" not in card
    assert 'name="confirm"' not in card  # nothing to confirm yet
    refused = post(client, f"/inspector/consignments/{consignment.id}/issue",
                   {"version": str(consignment.version)})  # as the button sends it
    assert refused.status_code == 422
    card = _issue_card(refused.get_data(as_text=True))
    said = re.search(r'<div class="flash flash-error">(.*?)</div>', card, re.S)  # on its form
    assert "A satisfactory inspection of the lot." in said.group(1)
    assert "Tick the box to confirm." not in refused.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Consignment, consignment.id).state == "under_inspection"

    inspect_ready(inspector, consignment := make_consignment("phyto")[3])
    card = _issue_card(client.get(f"/inspector/consignments/{consignment.id}")
                       .get_data(as_text=True))
    assert "still needs" not in card and "disabled" not in card
    assert 'name="confirm"' in card


def test_the_issue_card_names_a_failing_parameter_once(ctx, client):
    """Two non-compliant results of one parameter read "Lead, Lead" among what is missing."""
    _e, inspector, _registration, consignment = make_consignment("phyto")
    inspect_ready(inspector, consignment)
    _inspector_client(client, inspector)
    base = f"/inspector/consignments/{consignment.id}"
    limit = next(limit for limit in inspection.limits_for(consignment) if limit.kind == "max")
    for code in ("S-8", "S-9"):
        assert post(client, f"{base}/lab", {
            "laboratory": "Lab", "limit_id": str(limit.id), "sample_code": code, "value": "1000000",
            "unit": limit.unit, "tested_on": local_today().isoformat()}).status_code == 302
    card = _issue_card(client.get(base).get_data(as_text=True))
    names = re.search(r"Non-compliant laboratory results: (.*?)\.</li>", card).group(1)
    assert names == limit.parameter


def _errors(page: str) -> dict[str, str]:
    return dict(re.findall(r'<p class="error" id="([\w-]+)-error">\s*(.*?)\s*</p>', page, re.S))


def test_the_inspectors_forms_say_every_mistake_in_one_answer(ctx, client):
    """A sample code and a day left out with a unit mistyped came in two rounds: the form's
    "required" first, the unit on the next try."""
    _e, inspector, _r, consignment = make_consignment("phyto")
    inspection.start_inspection(inspector, consignment)
    login(client, inspector.email)
    base = f"/inspector/consignments/{consignment.id}"
    lead = next(limit for limit in inspection.limits_for(consignment)
                if limit.parameter_code == "lead")
    response = post(client, f"{base}/lab", {"limit_id": str(lead.id), "sample_code": "",
                                            "tested_on": "", "value": "0.1", "unit": "furlong"})
    assert response.status_code == 422
    errors = _errors(response.get_data(as_text=True))
    assert errors["sample_code"] == "Give the sample its code."
    assert errors["laboratory-name"] == "Name the laboratory that tested the sample."
    assert errors["tested_on"] == "Give the day of the test, not in the future."
    assert errors["unit"].startswith("Enter the unit of the value")
    # the certificate's results name who tested them: the form marks it required
    assert re.search(r'for="laboratory-name">Laboratory</label> <span class="req"',
                     response.get_data(as_text=True))
    response = post(client, f"{base}/inspection", {"inspected_on": "", "place": "",
                                                   "result": ""})
    assert response.status_code == 422
    assert set(_errors(response.get_data(as_text=True))) >= {"inspected_on", "place",
                                                             "result"}
    # the place goes into the certificate's data for China's border, as the treatment's do
    response = post(client, f"{base}/inspection", {"inspected_on": local_today().isoformat(),
                                                   "place": "ст. Достык, путь 4",
                                                   "result": "satisfactory"})
    assert response.status_code == 422
    assert _errors(response.get_data(as_text=True))["place"].startswith(
        "Write it in Latin or Chinese script")
    assert "ст. Достык, путь 4" in response.get_data(as_text=True)
    response = post(client, f"{base}/treatment", {"type": "fumigation", "treated_on": ""})
    assert response.status_code == 422
    assert set(_errors(response.get_data(as_text=True))) >= {"treated_on", "active_substance"}
    db.session.expire_all()
    fresh = db.session.get(Consignment, consignment.id)
    assert fresh.lab_results == [] and fresh.treatments == [] and fresh.inspected_on is None


def test_a_lots_marks_and_weights_errors_come_in_one_answer(ctx, client):
    """Marks in Cyrillic and a gross weight under the net: the weight's error came after the
    next save."""
    exporter, _inspector, _registration, consignment = make_consignment("phyto", submit=False)
    _exporter_client(client, exporter)
    response = post(client, f"/exporter/consignments/{consignment.id}/lots", {
        "product_code": "wheat", "net_weight": "65.5", "gross_weight": "60.0001",
        "weight_unit": "t", "packages_number": "1", "packages_kind": "bulk",
        "marks": "Вагон 95123451"})
    assert response.status_code == 422
    errors = _errors(response.get_data(as_text=True))
    # an example of marks, not of a town's name ("Kostanay for Қостанай")
    assert html.unescape(errors["marks"]) == (
        "Write the marks in Latin or Chinese script, as the certificate China's border reads "
        "prints them: “Wagon 95123451, seal KZ 778812”, say.")
    assert errors["gross_weight"] == "Enter at most 3 digits after the decimal point."
    response = post(client, f"/exporter/consignments/{consignment.id}/lots", {
        "product_code": "wheat", "net_weight": "65.5", "gross_weight": "60",
        "weight_unit": "t", "packages_number": "1", "packages_kind": "bulk",
        "marks": "Вагон 95123451"})
    errors = _errors(response.get_data(as_text=True))
    assert errors["gross_weight"] == "The gross weight cannot be less than the net weight."
    assert "marks" in errors


@pytest.mark.engine  # run on PostgreSQL too (conftest.py)
def test_a_refusal_from_a_page_older_than_the_issue_says_who_issued_and_keeps_the_reason(
        ctx, client):
    """A second tab's refusal said "someone else" changed it, though it was the same
    inspector, and the reason typed in it was gone."""
    _exporter, inspector, _r, consignment = make_consignment("phyto")
    inspect_ready(inspector, consignment)
    loaded = str(consignment.version)
    _inspector_client(client, inspector)
    base = f"/inspector/consignments/{consignment.id}"
    issue.issue_consignment_certificate(inspector, consignment)
    response = post(client, f"{base}/refuse", {"version": loaded, "confirm": "y",
                                              "reason": "Live insects found in wagon 12"})
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "<h1>Changed since you opened it</h1>" in page  # not "by someone else"
    assert re.search(r"It is now “Certificate issued”: you changed it last, at .{10,30}, after "
                     r"you opened this page \(in another window or tab\)\.", page)
    assert 'id="typed-text">Live insects found in wagon 12<' in page
    assert db.session.get(Consignment, consignment.id).state == "issued"


@pytest.mark.parametrize("kind", ["phyto", "vet"])
def test_the_animal_products_part_is_offered_for_a_veterinary_registration_only(ctx, client,
                                                                               kind):
    """A wheat exporter's form asked for slaughter dates and a storage temperature."""
    exporter, _inspector, registration, consignment = make_consignment(kind, submit=False)
    _exporter_client(client, exporter)
    for url in ("/exporter/consignments/new", f"/exporter/consignments/{consignment.id}/edit"):
        page = client.get(url).get_data(as_text=True)
        assert ('id="animal-products"' in page) == (kind == "vet"), url
        assert ('name="production_from"' in page) == (kind == "vet"), url
        if kind == "vet":
            assert f'data-shown-for="{registration.id}"' in page


def test_after_a_resumption_a_wheat_consignment_says_when_it_was_produced(ctx, client):
    """GACC resumed an elevator for products made from a date on: a wheat consignment with no
    production date was submitted and certified (only animal products asked for one)."""
    exporter, _inspector, registration, consignment = make_consignment("phyto", submit=False)
    registrar, today = make_user("registrar"), local_today()
    status_changes.change_status(registrar, registration, "suspend", StatusChangeInput(
        reason="GACC found live insects in a shipment", authority="gacc",
        suspended_from=today))
    status_changes.change_status(registrar, registration, "resume", StatusChangeInput(
        reason="", products_produced_from=today))
    said = (f"China accepts products of registration {registration.china_number} produced on "
            f"or after {format_date(today)} only: give the goods' first production date.")
    _exporter_client(client, exporter)
    submit = f"/exporter/consignments/{consignment.id}/submit"
    refused = post(client, submit, {"confirm": "y", "version": str(consignment.version)})
    assert refused.status_code == 422 and said in html.unescape(refused.get_data(as_text=True))

    edit = f"/exporter/consignments/{consignment.id}/edit"
    page = html.unescape(client.get(edit).get_data(as_text=True))
    assert 'name="production_from"' in page and 'name="storage_temperature"' not in page
    assert (f">{registration.china_number} — Kokshetau elevator — Edible grains</option>"
            in page)  # as the new request's list offers it, not the number alone
    assert (f"Its registration was resumed for products produced on or after "
            f"{format_date(today)}: China accepts none made earlier.") in page
    for made, status in ((today - timedelta(days=1), 422), (today, 302)):
        db.session.refresh(consignment)
        assert post(client, edit, _new_form(
            registration, production_from=made.isoformat(), version=str(consignment.version),
            crossing_code="dostyk_alashankou")).status_code == 302
        db.session.refresh(consignment)
        assert post(client, submit, {"confirm": "y", "version": str(consignment.version)}
                    ).status_code == status, made
    assert consignment.state == "submitted" and consignment.production_from == today


def test_a_treatment_typed_in_cyrillic_is_refused_on_the_form(ctx, client):
    """The certificate printed "Фосфин", "2 г/м³" and "120 сағ" in its Section III."""
    _e, inspector, _r, consignment = make_consignment("phyto")
    inspection.start_inspection(inspector, consignment)
    login(client, inspector.email)
    response = post(client, f"/inspector/consignments/{consignment.id}/treatment", {
        "type": "fumigation", "active_substance": "Фосфин", "concentration": "2 г/м³",
        "duration": "120 сағ", "treated_on": local_today().isoformat()})
    assert response.status_code == 422
    errors = _errors(response.get_data(as_text=True))
    assert {name: errors.get(name, "")[:40] for name in (
        "active_substance", "concentration", "duration")} == dict.fromkeys(
        ("active_substance", "concentration", "duration"),
        "Write it in Latin or Chinese script, as ")
    db.session.expire_all()
    assert db.session.get(Consignment, consignment.id).treatments == []


def test_the_treatments_chemical_is_explained_as_a_chemical(ctx, client):
    """The chemical's hint asked for the district of origin, "Kostanay District 科斯塔奈区"."""
    _e, inspector, _r, consignment = make_consignment("phyto")
    inspection.start_inspection(inspector, consignment)
    login(client, inspector.email)
    page = client.get(f"/inspector/consignments/{consignment.id}").get_data(as_text=True)
    hint = re.search(r'<p[^>]*id="active_substance-hint"[^>]*>(.*?)</p>', page, re.S)
    assert hint and hint.group(1).strip() == "In Latin or Chinese script."
    assert "Kostanay District" not in page


def test_slaughter_days_after_today_are_refused_on_the_form(ctx, client):
    exporter, _inspector, registration, _other = make_consignment("vet", submit=False)
    _exporter_client(client, exporter)
    before = db.session.scalar(select(func.count(Consignment.id)))
    later = local_today() + timedelta(days=85)
    response = post(client, "/exporter/consignments/new", _new_form(
        registration, conveyance="container", crossing_code="nur_zholy_khorgos",
        production_from=later.isoformat(), production_to=(later + timedelta(days=4)).isoformat(),
        storage_temperature="-18"))
    assert response.status_code == 422
    errors = _errors(response.get_data(as_text=True))
    assert errors["production_from"] == errors["production_to"] == (
        "A slaughter or production day cannot be after today: the goods are produced before "
        "their certificate is requested.")
    assert db.session.scalar(select(func.count(Consignment.id))) == before


def test_a_lots_unit_and_packages_are_chosen_never_preset(ctx, client):
    """"t" and "Bulk" were preset: a mutton exporter who typed 16500 declared 16 500 t of bulk
    meat unnoticed. Both lists open on "Choose…" and a lot without them is refused."""
    exporter, _inspector, _registration, consignment = make_consignment("vet", submit=False)
    _exporter_client(client, exporter)
    detail = f"/exporter/consignments/{consignment.id}"
    page = client.get(detail).get_data(as_text=True)
    for name in ("weight_unit", "packages_kind"):
        select = re.search(rf'<select[^>]*name="{name}".*?</select>', page, re.S).group(0)
        options = re.findall(r'<option([^>]*)value="([^"]*)"', select)
        assert options[0][1] == "" and ">Choose…</option>" in select
        assert all("selected" not in attributes for attributes, _value in options[1:])
    lots = len(consignment.lots)
    refused = post(client, f"{detail}/lots", {
        "product_code": "beef_frozen", "net_weight": "16500", "gross_weight": "17000",
        "weight_unit": "", "packages_number": "660", "packages_kind": ""})
    assert refused.status_code == 422
    errors = _errors(refused.get_data(as_text=True))
    assert errors["weight_unit"] == "Choose a unit from the list."
    assert errors["packages_kind"] == "Choose a kind of package from the list."
    db.session.refresh(consignment)
    assert len(consignment.lots) == lots


def test_a_rail_wagon_through_a_road_crossing_is_refused_on_the_form(ctx, client):
    exporter, _inspector, registration, _other = make_consignment("phyto", submit=False)
    _exporter_client(client, exporter)
    before = db.session.scalar(select(func.count(Consignment.id)))
    response = post(client, "/exporter/consignments/new", _new_form(
        registration, conveyance="rail_wagon", crossing_code="kolzhat_dulata",
        consignee_name="ТОО Рога и копыта"))
    assert response.status_code == 422
    errors = _errors(response.get_data(as_text=True))
    assert errors["conveyance"].startswith(
        "A rail wagon cannot enter China at Kolzhat – Dulata: it is a road crossing.")
    assert "consignee_name" in errors  # with the form's other errors, in one answer
    assert db.session.scalar(select(func.count(Consignment.id))) == before


def test_the_points_of_entry_are_grouped_as_rail_and_road_crossings(ctx, client):
    """Only "Nur Zholy – Khorgos (road)" said how it was crossed; a wagon sent through Bakhty
    learnt it was a road crossing once the form was refused."""
    exporter, _inspector, _registration, _other = make_consignment("phyto", submit=False)
    _exporter_client(client, exporter)
    page = html.unescape(client.get("/exporter/consignments/new").get_data(as_text=True))
    select_ = re.search(r'<select[^>]*id="crossing_code"[^>]*>(.*?)</select>', page, re.S)
    groups = dict(re.findall(r'<optgroup label="([^"]+)">(.*?)</optgroup>', select_.group(1),
                             re.S))
    assert list(groups) == ["Rail crossings", "Road crossings"]
    assert re.findall(r'value="(\w+)"', groups["Rail crossings"]) == [
        "altynkol_khorgos", "dostyk_alashankou"]
    assert "bakhty_tacheng" in groups["Road crossings"]
    assert select_.group(1).startswith('<option value="">Choose…</option>')  # to be chosen


def test_a_value_typed_for_a_presence_test_says_the_test_takes_none(ctx, client):
    _e, inspector, _r, consignment = make_consignment("phyto")
    inspection.start_inspection(inspector, consignment)
    login(client, inspector.email)
    tilletia = next(limit for limit in inspection.limits_for(consignment)
                    if limit.parameter_code == "tilletia_controversa")
    response = post(client, f"/inspector/consignments/{consignment.id}/lab", {
        "laboratory": "Lab", "limit_id": str(tilletia.id), "sample_code": "S-2", "value": "3",
        "detected": "", "tested_on": local_today().isoformat()})
    assert response.status_code == 422
    assert _errors(response.get_data(as_text=True))["value"] == (
        "This test only takes detected or not detected: choose one under “Detected”, without "
        "a value.")
    db.session.expire_all()
    assert db.session.get(Consignment, consignment.id).lab_results == []


def test_not_detected_beside_a_measured_value_is_refused_beside_the_choice(ctx, client):
    """"Not detected" with 5 µg/kg was recorded, and judged "detected" without a word."""
    _e, inspector, _r, consignment = make_consignment("phyto")
    inspection.start_inspection(inspector, consignment)
    login(client, inspector.email)
    limit = next(limit for limit in inspection.limits_for(consignment) if limit.kind == "max")
    base = f"/inspector/consignments/{consignment.id}/lab"
    fields = {"laboratory": "Lab", "limit_id": str(limit.id), "sample_code": "S-2", "value": "5",
              "unit": limit.unit, "detected": "no", "tested_on": local_today().isoformat()}
    response = post(client, base, fields)
    assert response.status_code == 422
    assert _errors(response.get_data(as_text=True))["detected"] == (
        "“Not detected” was chosen beside a measured value: keep one of them.")
    db.session.expire_all()
    assert db.session.get(Consignment, consignment.id).lab_results == []
    below = post(client, base, {**fields, "value": "0.5", "loq": "1"})  # below its LOQ
    assert below.status_code == 302


def test_a_range_and_a_day_in_the_future_come_in_one_answer(ctx, client):
    """A result of -0.1 tested tomorrow showed the value's error, the day's after the next
    save; a treatment at 500 °C tomorrow, the same."""
    _e, inspector, _r, consignment = make_consignment("phyto")
    inspection.start_inspection(inspector, consignment)
    login(client, inspector.email)
    base = f"/inspector/consignments/{consignment.id}"
    tomorrow = (local_today() + timedelta(days=1)).isoformat()
    lead = next(limit for limit in inspection.limits_for(consignment)
                if limit.parameter_code == "lead")
    response = post(client, f"{base}/lab", {"laboratory": "Lab", "limit_id": str(lead.id),
                                            "sample_code": "S-1",
                                            "value": "-0.1", "unit": "mg/kg",
                                            "tested_on": tomorrow})
    assert response.status_code == 422
    errors = _errors(response.get_data(as_text=True))
    assert errors["value"] == "A measured quantity cannot be below zero."
    assert errors["tested_on"] == "Give the day of the test, not in the future."
    response = post(client, f"{base}/treatment", {
        "type": "heat", "temperature": "500", "duration": "30 min", "treated_on": tomorrow})
    assert response.status_code == 422
    errors = _errors(response.get_data(as_text=True))
    assert errors["temperature"] == "Enter a number between -100 and 200."
    assert errors["treated_on"] == "Give the day of the treatment, not in the future."
    db.session.expire_all()
    fresh = db.session.get(Consignment, consignment.id)
    assert fresh.lab_results == [] and fresh.treatments == []


def test_the_withdrawal_reason_is_shown_to_the_exporter_and_the_inspector(app, ctx, client):
    """A withdrawn consignment's page said "Withdrawn" and not why, where a refusal says
    "Refused: <reason>"."""
    exporter, inspector, _registration, consignment = make_consignment("phyto")
    _exporter_client(client, exporter)
    assert post(client, f"/exporter/consignments/{consignment.id}/withdraw", {
        "version": str(consignment.version), "confirm": "y",
        "reason": "The buyer cancelled the contract"}).status_code == 302
    page = client.get(f"/exporter/consignments/{consignment.id}").get_data(as_text=True)
    assert "Withdrawn: The buyer cancelled the contract" in page
    staff = app.test_client()
    login(staff, inspector.email)
    page = staff.get(f"/inspector/consignments/{consignment.id}").get_data(as_text=True)
    assert "Withdrawn: The buyer cancelled the contract" in page


def test_a_removed_results_parameter_reads_in_the_readers_language(ctx, client):
    """"deoxynivalenol (DON)" showed in English on the Russian page once its result was
    removed, where the live results name it in Russian."""
    _e, inspector, _registration, consignment = make_consignment("phyto")
    inspection.start_inspection(inspector, consignment)
    don = next(limit for limit in inspection.limits_for(consignment)
               if limit.parameter_code == "deoxynivalenol")
    for sample in ("S-1", "S-2"):
        inspection.record_lab_result(inspector, consignment, LabResultInput(
            limit_id=don.id, sample_code=sample, tested_on=local_today(),
            value=Decimal("100"), unit="µg/kg", laboratory="Lab"))
    first, second = consignment.lab_results
    inspection.remove_lab_result(inspector, consignment, first.id, "Typed twice")
    # as a removal was recorded before the limit was kept with it
    with transaction():
        consignment.lab_results.remove(second)
        record_event(inspector, "consignment_lab_result_removed", object_type="consignment",
                     object_id=consignment.id, comment="Wrong sample", data={
                         "parameter": second.parameter, "sample_code": "S-2", "value": "100",
                         "unit": "µg/kg", "verdict": "compliant"})
    _inspector_client(client, inspector)
    inspector.locale = "ru"
    db.session.commit()
    g.pop("_flask_babel", None)  # the test's application context outlives the requests
    page = client.get(f"/inspector/consignments/{consignment.id}").get_data(as_text=True)
    removed = re.search(r'<ul class="plain" id="removed-results">(.*?)</ul>', page,
                        re.S).group(1)
    assert removed.count("<strong>дезоксиниваленол (ДОН)</strong>") == 2
    assert "deoxynivalenol" not in removed


def test_chinese_pages_join_their_lists_with_chinese_punctuation(ctx, client):
    """"阿拜州, 阿拉木图州" and "Kokshetau district, 阿克莫拉州": an ASCII comma in Chinese."""
    _e, _inspector, _registration, consignment = make_consignment("phyto")
    inspector = make_user("inspector", regions=["KZ-10", "KZ-11", "KZ-19"])
    _inspector_client(client, inspector)
    inspector.locale = "zh"
    db.session.commit()
    g.pop("_flask_babel", None)  # the test's application context outlives the requests
    queue = client.get("/inspector/consignments/").get_data(as_text=True)
    assert "阿拜州、阿克莫拉州、阿拉木图州" in queue
    page = client.get(f"/inspector/consignments/{consignment.id}").get_data(as_text=True)
    assert "Kokshetau district，阿克莫拉州" in page  # the place before its region, as printed
    assert "Kokshetau district, " not in page


def test_a_removed_result_reads_with_a_chinese_comma(ctx, client):
    """"氯霉素, CS-13-1: 0.1 µg/kg" under the results removed: an ASCII comma in Chinese."""
    _e, inspector, _registration, consignment = make_consignment("phyto")
    inspect_ready(inspector, consignment)
    _inspector_client(client, inspector)
    base = f"/inspector/consignments/{consignment.id}"
    limit = next(limit for limit in inspection.limits_for(consignment) if limit.kind == "max")
    assert post(client, f"{base}/lab", {
        "laboratory": "Lab", "limit_id": str(limit.id), "sample_code": "S-9", "value": "1000000",
        "unit": limit.unit, "tested_on": local_today().isoformat()}).status_code == 302
    db.session.refresh(consignment)
    result = next(r for r in consignment.lab_results if r.sample_code == "S-9")
    assert post(client, f"{base}/lab/{result.id}/delete", {
        "reason": "Typed in the wrong row", "confirm": "y"}).status_code == 302
    inspector.locale = "zh"
    db.session.commit()
    g.pop("_flask_babel", None)  # the test's application context outlives the requests
    page = client.get(base).get_data(as_text=True)
    removed = page[page.index('id="removed-results"'):]
    assert re.search(r"</strong>，S-9:", removed)
    assert "</strong>, S-9" not in removed


def test_clenbuterol_is_written_one_way_in_chinese(ctx):
    """"克伦特罗" in the laboratory table, "克仑特罗" in the attestation of the certificate."""
    _e, _inspector, _registration, consignment = make_consignment("vet")
    clenbuterol = next(limit for limit in inspection.limits_for(consignment)
                       if limit.parameter_code == "clenbuterol")
    assert clenbuterol.parameter_in("zh") == "克伦特罗"
    attestation = next(d for d in inspection.available_declarations(consignment)
                       if d.code == "no_banned_substances")
    assert "克伦特罗" in attestation.text_zh and "克仑" not in attestation.text_zh


def test_with_its_registration_suspended_the_new_request_page_says_since_when(ctx, client):
    """It said only "no registration in force", and showed the whole form to fill in vain."""
    exporter, _inspector, registration, _consignment = make_consignment()
    registration.status, registration.suspended_from = "suspended", local_today()
    db.session.commit()
    login(client, exporter.email)
    page = client.get("/exporter/consignments/new").get_data(as_text=True)
    notice = page.split('id="no-registration">')[1].split("</div>")[0]
    assert f'<span class="ref">{registration.china_number}</span> is suspended since' in notice
    assert "Save draft" not in page


def test_a_consignment_refused_under_a_suspension_says_until_when(app, ctx, client):
    """Refused because GACC suspended the registration, the page gave the reason only: not
    when a new request may be made, nor that one can."""
    exporter, inspector, registration, consignment = make_consignment()
    _inspector_client(client, inspector)
    registration.status, registration.suspended_from = "suspended", local_today()
    registration.suspended_until = local_today() + timedelta(days=25)
    db.session.commit()
    assert post(client, f"/inspector/consignments/{consignment.id}/refuse", {
        "version": str(consignment.version), "confirm": "y",
        "reason": "Registration suspended by GACC"}).status_code == 302
    exporter_client = _exporter_client(app.test_client(), exporter)
    page = exporter_client.get(f"/exporter/consignments/{consignment.id}").get_data(as_text=True)
    step = page.split('id="refusal-next">')[1].split("</p>")[0]
    assert f"{registration.china_number}</span> is suspended from" in step
    assert "A new consignment can be requested once the registration is in force again." in step
    assert "/exporter/consignments/new" not in step


def test_a_lot_is_removed_only_once_its_removal_is_confirmed(ctx, client):
    """One click on "Remove" deleted a lot of a draft, with the weights, packages and marks
    typed for it."""
    exporter, _inspector, _registration, consignment = make_consignment("phyto", submit=False)
    _exporter_client(client, exporter)
    lot = consignment.lots[0]
    url = f"/exporter/consignments/{consignment.id}/lots/{lot.id}/delete"
    page = client.get(f"/exporter/consignments/{consignment.id}").get_data(as_text=True)
    assert '<details class="destructive">' in page and "type them anew" in page
    unconfirmed = post(client, url, {})
    assert unconfirmed.status_code == 422
    text = unconfirmed.get_data(as_text=True)
    assert "Tick the box to confirm." in text and '<details class="destructive" open>' in text
    db.session.expire_all()
    assert [row.id for row in db.session.get(Consignment, consignment.id).lots] == [lot.id]
    removed = post(client, url, {"confirm": "y"})
    assert removed.status_code == 302
    assert "The lot was removed." in client.get(removed.location).get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Consignment, consignment.id).lots == []


def _draft_with_a_document(client):
    """A phytosanitary draft with a lot and an uploaded contract, its exporter signed in on
    `client`: (exporter, consignment, lot, document)."""
    exporter, _inspector, _registration, consignment = make_consignment("phyto", submit=False)
    _exporter_client(client, exporter)
    post(client, f"/exporter/consignments/{consignment.id}/documents", {
        "kind": "contract", "file": (io.BytesIO(b"%PDF-1.4\n%%EOF\n"), "contract.pdf")},
        content_type="multipart/form-data")
    db.session.refresh(consignment)
    return exporter, consignment, consignment.lots[0], consignment.documents[0]


def test_a_submitted_drafts_stale_removal_says_the_state_not_the_unticked_box(ctx, client):
    """The draft was submitted in another tab: removing a lot or a document from the page
    still showing the draft said "Tick the box to confirm.", then, ticked, that the step was
    no longer possible."""
    exporter, consignment, lot, document = _draft_with_a_document(client)
    detail = f"/exporter/consignments/{consignment.id}"
    drafts.submit_consignment(exporter, consignment, consignment.version)
    for url in (f"{detail}/lots/{lot.id}/delete", f"{detail}/documents/{document.id}/delete"):
        response = post(client, url, {}, csrf_url=detail)
        assert response.status_code == 302 and response.location.endswith(detail)
        page = client.get(detail).get_data(as_text=True)
        assert "This action is no longer possible" in page
        assert "Tick the box to confirm." not in page
    db.session.expire_all()
    saved = db.session.get(Consignment, consignment.id)
    assert ([row.id for row in saved.lots], [row.id for row in saved.documents]) == (
        [lot.id], [document.id])


def test_a_withdrawal_from_a_page_older_than_the_refusal_says_so_before_asking_the_box(
        ctx, client):
    exporter, inspector, _registration, consignment = make_consignment("phyto")
    _exporter_client(client, exporter)
    detail = f"/exporter/consignments/{consignment.id}"
    inspection.refuse_consignment(inspector, consignment, "No phytosanitary import permit")
    response = post(client, f"{detail}/withdraw", {"reason": "Buyer cancelled the order"},
                    csrf_url=detail)
    assert response.status_code == 302 and response.location.endswith(detail)
    page = html.unescape(client.get(detail).get_data(as_text=True))
    assert "This action is no longer possible" in page and "Tick the box" not in page
    assert "What you typed: Buyer cancelled the order" in page
    db.session.expire_all()
    assert db.session.get(Consignment, consignment.id).state == "refused"


@pytest.mark.engine  # run on PostgreSQL too (conftest.py)
def test_a_lot_or_document_removed_in_another_tab_is_said_so_on_the_draft(ctx, client):
    """Removing again what a second tab had removed led to "Page not found", with no way back
    to the draft."""
    exporter, consignment, lot, document = _draft_with_a_document(client)
    detail = f"/exporter/consignments/{consignment.id}"
    for url, message in ((f"{detail}/lots/{lot.id}/delete", "This lot is no longer on"),
                         (f"{detail}/documents/{document.id}/delete",
                          "This document is no longer on")):
        assert post(client, url, {"confirm": "y"}).status_code == 302
        again = post(client, url, {"confirm": "y"})
        assert again.status_code == 422
        page = again.get_data(as_text=True)
        assert f"{message} the draft: it was removed, in another window or tab perhaps." in page
        assert f"CS-{consignment.id:06d}" in page and "Add a lot" in page


def test_a_draft_ready_to_submit_speaks_of_the_consignment_not_an_application(ctx, client):
    """Its heading shared the application's translation: "Заявка готова к подаче"."""
    exporter, _inspector, _registration, consignment = make_consignment(submit=False)
    login(client, exporter.email)
    exporter.locale = "ru"
    db.session.commit()
    g.pop("_flask_babel", None)  # the test's application context outlives the requests
    page = client.get(f"/exporter/consignments/{consignment.id}").get_data(as_text=True)
    assert "<h2>Партия готова к подаче</h2>" in page and "Заявка готова" not in page


def test_a_lot_removed_from_a_draft_is_recorded_in_the_audit_trail(ctx, client):
    """A lot removed from a draft left no trace: its weights and marks were gone from the
    history, where a lot added and a document removed are recorded."""
    exporter, _inspector, _registration, consignment = make_consignment("phyto", submit=False)
    mistaken = drafts.add_lot(exporter, consignment,
                              replace(WHEAT_LOT, marks="Wagon 95123998, seal KZ 1"))
    _exporter_client(client, exporter)
    detail = f"/exporter/consignments/{consignment.id}"
    removed = post(client, f"{detail}/lots/{mistaken.id}/delete", {"confirm": "y"},
                   csrf_url=detail)
    assert removed.status_code == 302
    db.session.expire_all()
    assert [lot.marks for lot in db.session.get(Consignment, consignment.id).lots] == [
        WHEAT_LOT.marks]
    event = db.session.scalar(select(AuditEvent).where(
        AuditEvent.action == "consignment_lot_removed"))
    assert (event.actor_id, event.object_type, event.object_id) == (
        exporter.id, "consignment", consignment.id)
    assert event.data == {"product": "wheat", "net_weight": "65.500", "unit": "t",
                          "marks": "Wagon 95123998, seal KZ 1"}


def test_a_consignment_past_its_draft_says_no_document_was_attached(ctx, client):
    """An issued certificate's consignment said "No document yet.", as if one might come."""
    exporter, _inspector, _registration, consignment = make_consignment("phyto", submit=False)
    _exporter_client(client, exporter)
    url = f"/exporter/consignments/{consignment.id}"
    assert "No document yet." in client.get(url).get_data(as_text=True)
    drafts.submit_consignment(exporter, consignment)
    page = client.get(url).get_data(as_text=True)
    assert "No supporting document was attached." in page and "No document yet." not in page
    listed = client.get("/exporter/consignments/").get_data(as_text=True)
    assert f'<td class="ref" data-label="No."><a href="{url}">{consignment.reference}</a>' \
        in listed  # "CS-" and "000010" on two lines


def test_a_region_outside_every_zone_of_the_registrations_products_is_said_on_the_header(
        ctx, client):
    """Zhambyl's mutton was saved without a word; the refusal came with the first lot, beside
    its product, though the region is what to change."""
    exporter, _inspector, registration, _draft = make_consignment("vet", submit=False)
    _exporter_client(client, exporter)
    before = db.session.scalar(select(func.count(Consignment.id)))
    answer = post(client, "/exporter/consignments/new", _new_form(
        registration, origin_region_code="KZ-61", conveyance="container",
        crossing_code="nur_zholy_khorgos", production_from=local_today().isoformat(),
        storage_temperature="-18"))
    page = html.unescape(answer.get_data(as_text=True))
    assert answer.status_code == 422
    assert re.search(r'id="origin_region_code-error">China does not accept Beef, frozen '
                     r'\(HS 0202\) from Turkistan Region', page)
    assert db.session.scalar(select(func.count(Consignment.id))) == before
