"""Consignment certificates through the services: the gate at submission and at issue,
deadlines, issue and replacement, and every issued certificate's data against the schema."""

import json
from datetime import date, timedelta
from pathlib import Path

import jsonschema
import pytest
from flask_babel import format_date
from sqlalchemy import func, select

from certtrack.extensions import db
from certtrack.models import (
    Consignment,
    ConsignmentCertificate,
    ConsignmentCertificateCounter,
    Notification,
)
from certtrack.services import status_changes
from certtrack.services.applications import local_today
from certtrack.services.consignments import drafts, inspection, issue, status
from certtrack.services.errors import ValidationFailed
from certtrack.services.inputs import StatusChangeInput
from certtrack.services.issued_files import pdf_bytes

from consignment_factories import BEEF_LOT, header, inspect_ready, make_consignment
from factories import make_registration, make_user

SCHEMA = json.loads((Path(__file__).resolve().parents[2] / "docs" / "schemas" /
                     "consignment-certificate.schema.json").read_text(encoding="utf-8"))


def _suspend(registration, since: date):
    registrar = make_user("registrar")
    status_changes.change_status(registrar, registration, "suspend",
        StatusChangeInput.from_mapping({
        "authority": "gacc", "suspended_from": since, "reason": "GACC notice on residues"}))


def _counted() -> tuple[int, int]:
    certificates = db.session.scalar(select(func.count()).select_from(ConsignmentCertificate))
    used = db.session.scalar(select(func.coalesce(func.sum(
        ConsignmentCertificateCounter.last_serial), 0)))
    return certificates, used


def test_a_wheat_consignment_is_submitted_inspected_and_issued(ctx):
    exporter, inspector, registration, consignment = make_consignment("phyto")
    assert consignment.state == "submitted"
    inspect_ready(inspector, consignment)
    certificate = issue.issue_consignment_certificate(inspector, consignment)
    assert certificate.number == f"KZ-PC-{local_today().year}-000001"
    assert consignment.state == "issued"
    assert certificate.registration_status_at_issue == "active"
    pdf = status.stored_pdf(certificate)
    assert pdf_bytes(pdf).startswith(b"%PDF-") and len(pdf.sha256) == 64
    document = certificate.data["SPSCertificate"]
    line = document["SPSConsignment"]["IncludedSPSConsignmentItem"][0][
        "IncludedSPSTradeLineItem"][0]
    assert line["ApplicableSPSClassification"] == [{"SystemName": "HS", "ClassCode": "1001"}]
    assert line["NetWeightMeasure"] == {"value": "65.5", "unitCode": "TNE"}
    assert line["AppliedSPSProcess"][0]["TypeCode"] == "fumigation"
    assert document["SPSConsignment"]["MainCarriageSPSTransportMovement"]["ModeCode"] == "2"
    assert document["SPSConsignment"]["ProcessingSPSParty"]["ApprovalNumber"] == \
        registration.china_number
    # The exporter is told, with a link to the consignment (the notice was plain text).
    note = db.session.scalar(select(Notification).where(
        Notification.user_id == exporter.id,
        Notification.kind == "consignment_certificate_issued"))
    assert (note.endpoint, note.endpoint_args) == ("consignments.detail",
                                                   {"consignment_id": consignment.id})


def test_a_beef_consignment_gets_a_veterinary_number_of_its_own_series(ctx):
    _e, phyto_inspector, _r, wheat = make_consignment("phyto")
    inspect_ready(phyto_inspector, wheat)
    issue.issue_consignment_certificate(phyto_inspector, wheat)
    _e, vet_inspector, _r, beef = make_consignment("vet")
    inspect_ready(vet_inspector, beef)
    certificate = issue.issue_consignment_certificate(vet_inspector, beef)
    assert certificate.number == f"KZ-VC-{local_today().year}-000001"
    assert certificate.kind == "vet"


def test_every_issued_certificate_validates_against_the_published_schema(ctx):
    for kind in ("phyto", "vet"):
        _e, inspector, _r, consignment = make_consignment(kind)
        inspect_ready(inspector, consignment)
        first = issue.issue_consignment_certificate(inspector, consignment)
        issue.replace_consignment_certificate(inspector, first, "Consignee's address corrected")
    issued = db.session.scalars(select(ConsignmentCertificate)).all()
    assert len(issued) == 4
    for certificate in issued:
        jsonschema.validate(certificate.data, SCHEMA)
    broken = json.loads(json.dumps(issued[0].data))
    del broken["SPSCertificate"]["SPSConsignment"]["ConsigneeSPSParty"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, SCHEMA)


def test_a_consignment_under_a_suspended_registration_cannot_be_submitted(ctx):
    exporter, _i, registration, consignment = make_consignment("phyto", submit=False)
    _suspend(registration, local_today() - timedelta(days=2))
    with pytest.raises(ValidationFailed) as refused:
        drafts.submit_consignment(exporter, consignment)
    since = format_date(local_today() - timedelta(days=2))
    assert f"China registration {registration.china_number} is suspended since {since}." in \
        refused.value.errors[""]
    assert db.session.get(Consignment, consignment.id).state == "draft"


def test_meat_produced_before_the_listing_is_refused(ctx):
    """Frozen beef slaughtered months before GACC listed the plant was certified: it was made
    by an unlisted establishment."""
    exporter, _i, registration, consignment = make_consignment("vet", submit=False)
    registration.listing_date = consignment.production_from + timedelta(days=1)
    db.session.commit()
    with pytest.raises(ValidationFailed) as refused:
        drafts.submit_consignment(exporter, consignment)
    assert refused.value.errors[""] == [
        f"These goods were produced before GACC listed the establishment on "
        f"{format_date(registration.listing_date)} (China registration "
        f"{registration.china_number}): China accepts animal products produced on or after "
        "its listing only."]
    assert db.session.get(Consignment, consignment.id).state == "draft"
    registration.listing_date = consignment.production_from  # made on the day it was listed
    db.session.commit()
    drafts.submit_consignment(exporter, consignment)
    assert db.session.get(Consignment, consignment.id).state == "submitted"


def test_a_container_by_road_is_carried_by_road_in_the_certificates_data(ctx):
    """A container through Nur Zholy (a road crossing) was written as carried by rail."""
    _exporter, inspector, _registration, consignment = make_consignment("vet")
    inspect_ready(inspector, consignment)
    certificate = issue.issue_consignment_certificate(inspector, consignment)
    movement = certificate.data["SPSCertificate"]["SPSConsignment"][
        "MainCarriageSPSTransportMovement"]
    assert consignment.crossing_code == "nur_zholy_khorgos"
    assert movement["ModeCode"] == "3"  # UN/ECE Rec. 19: road


def test_a_suspension_with_an_end_says_until_when(ctx):
    """The refusal said since when only, though the exporter plans the next shipment by the
    day the suspension ends."""
    exporter, _i, registration, consignment = make_consignment("phyto", submit=False)
    since, until = local_today() - timedelta(days=2), local_today() + timedelta(days=40)
    status_changes.change_status(make_user("registrar"), registration, "suspend",
                                StatusChangeInput.from_mapping({
        "authority": "gacc", "suspended_from": since, "suspended_until": until,
        "reason": "GACC notice on residues"}))
    with pytest.raises(ValidationFailed) as refused:
        drafts.submit_consignment(exporter, consignment)
    assert (f"China registration {registration.china_number} is suspended from "
            f"{format_date(since)} to {format_date(until)}.") in refused.value.errors[""]


def test_a_suspension_after_submission_blocks_the_issue_and_uses_no_number(ctx):
    _e, inspector, registration, consignment = make_consignment("phyto")
    inspect_ready(inspector, consignment)
    _suspend(registration, local_today())
    with pytest.raises(ValidationFailed) as refused:
        issue.issue_consignment_certificate(inspector, consignment)
    assert "is suspended since" in refused.value.message or \
        "is suspended since" in " ".join(refused.value.errors[""])
    assert _counted() == (0, 0)
    assert db.session.get(Consignment, consignment.id).state == "under_inspection"


def test_an_expired_or_revoked_registration_says_which_and_since_when(ctx):
    _e, inspector, registration, consignment = make_consignment("phyto")
    inspect_ready(inspector, consignment)
    status_changes.change_status(make_user("registrar"), registration, "revoke",
                                StatusChangeInput.from_mapping({
        "reference": "GACC announcement 2027 No. 12", "reason": "GACC delisting"}))
    with pytest.raises(ValidationFailed) as refused:
        issue.issue_consignment_certificate(inspector, consignment)
    message = " ".join(refused.value.errors[""])
    assert f"{registration.china_number} is revoked since " \
           f"{format_date(local_today())}" in message
    assert _counted() == (0, 0)


def test_no_protocol_and_a_region_outside_the_zones_are_refused_for_a_consignment(ctx):
    registrar = make_user("registrar")
    exporter, _a, registration = make_registration(
        registrar, local_today() - timedelta(days=30), category="meat", product="beef_frozen")
    with pytest.raises(ValidationFailed) as refused:  # said with the header: the region is
        drafts.create_consignment(exporter, header(  # what to change, and nothing there goes
            registration, origin_region_code="KZ-61", conveyance="container"))
    assert refused.value.errors["origin_region_code"] == [
        "China does not accept Beef, frozen (HS 0202) from Turkistan Region: the region is "
        "outside the zones the protocol recognises."]
    outside = drafts.create_consignment(exporter, header(
        registration, origin_region_code="KZ-11", conveyance="container"))
    outside.origin_region_code = "KZ-61"  # saved before the rule: a lot is refused too
    db.session.commit()
    with pytest.raises(ValidationFailed) as refused:
        drafts.add_lot(exporter, outside, BEEF_LOT)
    assert "China does not accept" in refused.value.errors["product_code"][0]
    assert "Turkistan Region" in refused.value.errors["product_code"][0]


def test_lots_are_limited_to_the_registrations_products(ctx):
    exporter, _i, _r, consignment = make_consignment("phyto", submit=False)
    with pytest.raises(ValidationFailed) as refused:
        drafts.add_lot(exporter, consignment, BEEF_LOT)
    assert refused.value.errors["product_code"] == ["Choose a product the registration covers."]


def test_phyto_deadline_from_a_friday_before_nauryz_counts_working_days(ctx, monkeypatch):
    from certtrack.domain.calendar import load_calendar
    from certtrack.services.consignments import drafts as module
    from certtrack.services.reference import reference_dir

    friday = date(2026, 3, 20)
    exporter, _i, _r, consignment = make_consignment("phyto", submit=False)
    monkeypatch.setattr(module, "local_today", lambda: friday)
    deadline = drafts.submit_consignment(exporter, consignment)
    expected = load_calendar(reference_dir() / "holidays.csv").sla_deadline(
        friday, "phytosanitary_certificate")
    # 21-25 March 2026 are Nauryz and its moved days off: 26, 27, 30, 31 March, 1 April.
    assert deadline == expected == date(2026, 4, 1)
    assert db.session.get(Consignment, consignment.id).deadline == date(2026, 4, 1)


def test_refusal_needs_a_reason_and_is_terminal(ctx):
    _e, inspector, _r, consignment = make_consignment("phyto")
    with pytest.raises(ValidationFailed):
        inspection.refuse_consignment(inspector, consignment, "  ")
    with pytest.raises(ValidationFailed, match="at least 10 characters"):
        inspection.refuse_consignment(inspector, consignment, "x")
    assert db.session.get(Consignment, consignment.id).state != "refused"
    inspection.refuse_consignment(inspector, consignment, "Live insects found in wagon 3")
    saved = db.session.get(Consignment, consignment.id)
    assert (saved.state, saved.refusal_reason) == ("refused", "Live insects found in wagon 3")


def test_a_non_compliant_result_blocks_the_issue(ctx):
    from decimal import Decimal

    from certtrack.services.consignments.inputs import LabResultInput

    _e, inspector, _r, consignment = make_consignment("phyto")
    inspect_ready(inspector, consignment)
    don = next(limit for limit in inspection.limits_for(consignment)
               if limit.parameter.startswith("deoxynivalenol"))
    inspection.record_lab_result(inspector, consignment, LabResultInput(
        laboratory="Central laboratory",
        limit_id=don.id, sample_code="S-2", tested_on=local_today(), value=Decimal("1500"),
        unit="µg/kg"))
    with pytest.raises(ValidationFailed) as refused:
        issue.issue_consignment_certificate(inspector, consignment)
    assert "deoxynivalenol (DON)" in " ".join(refused.value.errors[""])
    assert _counted() == (0, 0)


def test_a_replacement_names_the_original_which_becomes_replaced(ctx):
    _e, inspector, _r, consignment = make_consignment("phyto")
    inspect_ready(inspector, consignment)
    original = issue.issue_consignment_certificate(inspector, consignment)
    replacement = issue.replace_consignment_certificate(inspector, original, "Seal corrected")
    assert replacement.replaces_id == original.id
    assert status.certificate_status(original) == "replaced"
    assert status.certificate_status(replacement) == "valid"
    assert replacement.data["SPSCertificate"]["SPSExchangedDocument"][
        "ReferenceSPSReferencedDocument"][1] == {"ID": original.number,
                                                 "TypeCode": "replaced_certificate"}
    with pytest.raises(ValidationFailed):
        issue.replace_consignment_certificate(inspector, original, "again")
