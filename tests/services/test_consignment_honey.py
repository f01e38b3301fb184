"""A honey consignment: China's limits for honey judge its results, and its veterinary
certificate attests what the protocol's wording says; a veterinary certificate with nothing to
attest is not issued."""

from decimal import Decimal
from io import BytesIO

import pytest
from pypdf import PdfReader
from sqlalchemy import delete, func, select

from certtrack.extensions import db
from certtrack.models import ConsignmentCertificate, ProtocolDeclaration
from certtrack.services.applications import local_today
from certtrack.services.consignments import inspection, issue, status
from certtrack.services.consignments.inputs import InspectionInput, LabResultInput
from certtrack.services.errors import ValidationFailed
from certtrack.services.issued_files import pdf_bytes

from consignment_factories import inspect_ready, make_consignment


def test_honey_has_chinas_limits_and_a_banned_drug_found_is_non_compliant(ctx):
    _e, inspector, _r, consignment = make_consignment("vet", product="honey")
    limits = {limit.parameter: limit for limit in inspection.limits_for(consignment)}
    assert {"chloramphenicol", "nitrofurans", "lead"} <= set(limits)
    assert all("honey" in limit.matrix for limit in limits.values())
    inspection.start_inspection(inspector, consignment)
    found = inspection.record_lab_result(inspector, consignment, LabResultInput(
        limit_id=limits["chloramphenicol"].id, sample_code="H-1", tested_on=local_today(),
        detected=True, laboratory="East Kazakhstan veterinary laboratory"))
    lead = inspection.record_lab_result(inspector, consignment, LabResultInput(
        laboratory="Central laboratory",
        limit_id=limits["lead"].id, sample_code="H-1", tested_on=local_today(),
        value=Decimal("1.2"), unit="mg/kg"))
    assert (found.verdict, lead.verdict) == ("non_compliant", "non_compliant")


@pytest.mark.real_pdf
def test_a_honey_certificate_attests_the_protocols_wording(ctx):
    _e, inspector, _r, consignment = make_consignment("vet", product="honey")
    inspect_ready(inspector, consignment)
    codes = {d.declaration_code for d in consignment.declarations}
    assert codes == {"honey_apiary_health", "honey_no_banned_substances"}
    certificate = issue.issue_consignment_certificate(inspector, consignment)
    text = " ".join(" ".join((page.extract_text() or "").split()) for page in PdfReader(
        BytesIO(pdf_bytes(status.stored_pdf(certificate)))).pages)
    assert "certify that:" in text
    assert "American foulbrood" in text and "chloramphenicol, nitrofurans" in text
    assert "40 drums / 桶" in text  # honey travels in drums


def test_a_veterinary_certificate_with_nothing_to_attest_is_not_issued(ctx):
    db.session.execute(delete(ProtocolDeclaration).where(
        ProtocolDeclaration.products.contains("honey")))
    db.session.commit()
    _e, inspector, _r, consignment = make_consignment("vet", product="honey")
    inspect_ready(inspector, consignment)
    assert "The attestations of a veterinary certificate for these products: the reference " \
           "data has none yet." in inspection.issue_blockers(consignment)
    with pytest.raises(ValidationFailed):
        issue.issue_consignment_certificate(inspector, consignment)
    assert consignment.state == "under_inspection"
    assert db.session.scalar(select(func.count()).select_from(ConsignmentCertificate)) == 0


def test_a_veterinary_certificate_waits_for_a_laboratory_result(ctx):
    """Its attestations ("no residues of substances banned in China") rest on one: a honey
    certificate was issued with "No results yet" under the laboratory's results."""
    _e, inspector, _r, consignment = make_consignment("vet", product="honey")
    inspection.start_inspection(inspector, consignment)
    inspection.record_inspection(inspector, consignment, InspectionInput(
        inspected_on=local_today(), place="Ridder honey house", result="satisfactory"))
    inspection.set_declarations(inspector, consignment, [
        d.code for d in inspection.available_declarations(consignment)])
    untested = ("A laboratory result for each pest or substance the chosen wording attests; "
                "none yet for chloramphenicol and nitrofurans.")
    assert inspection.issue_blockers(consignment) == [
        "A laboratory result on a sample of the consignment.", untested]
    with pytest.raises(ValidationFailed):
        issue.issue_consignment_certificate(inspector, consignment)
    limits = {limit.parameter_code: limit for limit in inspection.limits_for(consignment)}
    inspection.record_lab_result(inspector, consignment, LabResultInput(
        laboratory="Central laboratory",
        limit_id=limits["lead"].id, sample_code="H-2", tested_on=local_today(),
        value=Decimal("0.05"), unit="mg/kg"))
    # Lead is not what the attestation names: the banned substances are still untested.
    assert inspection.issue_blockers(consignment) == [untested]
    inspection.record_lab_result(inspector, consignment, LabResultInput(
        laboratory="Central laboratory",
        limit_id=limits["chloramphenicol"].id, sample_code="H-2", tested_on=local_today(),
        detected=True))  # found: a failed result attests nothing, and blocks on its own
    assert inspection.issue_blockers(consignment) == [  # said once: tested, and failed
        "Non-compliant laboratory results: chloramphenicol.",
        "A laboratory result for each pest or substance the chosen wording attests; none yet "
        "for nitrofurans."]
    for code in ("chloramphenicol", "nitrofurans"):
        inspection.record_lab_result(inspector, consignment, LabResultInput(
            laboratory="Central laboratory",
            limit_id=limits[code].id, sample_code="H-3", tested_on=local_today(),
            detected=False))
    failed = next(row for row in consignment.lab_results if row.verdict == "non_compliant")
    inspection.remove_lab_result(inspector, consignment, failed.id, "Entered in error.")
    assert inspection.issue_blockers(consignment) == []
