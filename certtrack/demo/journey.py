"""Steps of the demo applications' journeys, each taken through the real services."""

import io
from datetime import date, timedelta
from decimal import Decimal
from typing import NamedTuple

from certtrack.demo import clock
from certtrack.domain.compliance import LimitKind
from certtrack.models import (
    Application,
    Establishment,
    Finding,
    LabLimit,
    Registration,
    Sample,
    User,
)
from certtrack.services import (
    accreditation,
    applications,
    conclusions,
    corrective_actions,
    documents,
    inspections,
    laboratory,
    registrations,
    review,
)
from certtrack.services.applications import local_today
from certtrack.services.reference import working_calendar


def demo_pdf(*lines: str) -> bytes:
    """A one-page PDF that opens in any viewer and shows `lines` (the document's name and its
    enterprise): each demo document a file of its own, not one file with one SHA-256 for all.
    With its cross-reference table, so that no reader warns of a damaged file."""
    text = " ".join(f"({_pdf_text(line)}) Tj 0 -22 Td" for line in lines)
    content = f"BT /F1 14 Tf 72 770 Td {text} ET".encode("latin-1")
    objects = [b"<</Type/Catalog/Pages 2 0 R>>", b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
               b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]"
               b"/Resources<</Font<</F1 5 0 R>>>>/Contents 4 0 R>>",
               b"<</Length %d>>stream\n%s\nendstream" % (len(content), content),
               b"<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>"]
    pdf, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(pdf))
        pdf += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(pdf)
    pdf += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    pdf += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    pdf += b"trailer<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1,
                                                                            xref)
    return bytes(pdf)


def _pdf_text(line: str) -> str:
    """A line as a PDF string of the standard font: Latin-1, its brackets escaped."""
    plain = line.encode("latin-1", "replace").decode("latin-1")
    return plain.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


QUESTIONNAIRE = {
    "kind": "new", "haccp_status": "certified",
    "haccp_details": "ISO 22000:2018, certificate valid until 2028",
    "traceability": "Lot numbers from supplier to consignment; records kept 3 years",
    "water_source": "municipal", "last_inspection_date": None, "last_inspection_authority": "",
}
METHODS = {
    "deoxynivalenol (DON)": "GB 5009.111-2016 (HPLC)",
    "aflatoxin B1": "GB 5009.22-2016 (HPLC-FLD)",
    "lead": "GB 5009.12-2017 (GF-AAS)",
    "cadmium": "GB 5009.15-2014 (GF-AAS)",
}
PHYTO_LAB = "Republican Phytosanitary Diagnostic Centre, Astana"  # no account: as typed
GRAIN_LAB = "Astana grain testing laboratory"  # accredited, with an account (demo.seed)
VET_LAB = "National Veterinary Reference Centre, Astana"  # accredited, with an account


class Cast(NamedTuple):
    """Who takes an application along: its exporter, its inspector, the registrar; and the
    exporter's establishments by key."""

    exporter: User
    inspector: User
    registrar: User
    sites: dict[str, Establishment]


class Line(NamedTuple):
    """A product line: catalogue code, annual volume and unit."""

    product: str
    volume: int
    unit: str = "t"


def _upload(exporter: User, application: Application, code: str, name: str) -> None:
    documents.upload_document(exporter, application, code, io.BytesIO(demo_pdf(
        name, application.enterprise.name_en, application.reference)), f"{name}.pdf")


def draft(exporter: User, site: Establishment, category: str, lines: tuple[Line, ...],
          documents_uploaded: int | None = None, staff: int = 40,
          kind: str = "new") -> Application:
    """Start a draft of `kind` (new, or a change of the registration in force) with its
    questionnaire and products; upload the required documents (all, or only the first
    `documents_uploaded`)."""
    application = applications.create_application(
        exporter, applications.ApplicationInput.from_mapping({
        **QUESTIONNAIRE, "kind": kind, "establishment_id": site.id,
        "gacc_category_code": category,
        "production_capacity": 120, "storage_capacity": 8000, "staff_count": staff,
    }))
    for line in lines:
        applications.add_product(exporter, application, applications.ProductInput.from_mapping({
            "product_code": line.product, "annual_volume": line.volume,
            "volume_unit": line.unit}))
    required = applications.required_document_types(application)
    for document_type in required[:documents_uploaded]:
        _upload(exporter, application, document_type.code, document_type.name_en)
    return application


def renewal(exporter: User, registration: Registration) -> Application:
    """Start the renewal of a registration in its window (its establishment, category,
    questionnaire and products) and upload the documents a renewal requires."""
    application = registrations.start_renewal(exporter, registration)
    for document_type in applications.required_document_types(application):
        _upload(exporter, application, document_type.code, document_type.name_en)
    return application


def submitted(cast: Cast, site: Establishment, category: str,
              lines: tuple[Line, ...]) -> Application:
    """A complete draft, submitted by its exporter."""
    application = draft(cast.exporter, site, category, lines)
    clock.wait("prepare")
    applications.submit_application(cast.exporter, application)
    return application


def start_review(cast: Cast, application: Application, accept: int | None = None) -> None:
    """The inspector starts the completeness check and accepts the documents (all, or the
    first `accept`)."""
    clock.wait("check")
    review.start_review(cast.inspector, application)
    for document in review.reviewable_documents(application)[:accept]:
        review.review_document(cast.inspector, application, document.id, "accepted")


def schedule(cast: Cast, application: Application, mode: str = "on_site",
             working_days: int = 0, carried_out: bool = False) -> date:
    """Schedule the inspection `working_days` from today (0: today, or the next working day
    when today is a weekend day or a holiday), with the inspector as the team; return its
    day. One `carried_out` in the story is not scheduled past the real present."""
    clock.wait("review")
    day = working_calendar().add_working_days(local_today(), working_days)
    if carried_out:
        day = clock.reachable(day)
    inspections.schedule_inspection(cast.inspector, application, mode, day, [cast.inspector.id])
    return day


# Working days between scheduling an inspection and carrying it out (the exporter prepares).
INSPECTION_NOTICE = 3
FINDING_FIELDS = ("severity", "requirement", "observation", "clause", "requirement_en",
                  "observation_en")


def record_findings(cast: Cast, application: Application,
                    findings: tuple[tuple[str, ...], ...]) -> list[Finding]:
    """Record findings as FINDING_FIELDS (the inspector's Russian, then the dossier's
    English)."""
    return [inspections.add_finding(cast.inspector, application,
                                    inspections.FindingInput.from_mapping(
                                        dict(zip(FINDING_FIELDS, finding, strict=True))))
            for finding in findings]


def inspect(cast: Cast, application: Application, findings=(), answers_no=None,
            summary: str = "", summary_en: str = "") -> list[Finding]:
    """Schedule the inspection a few working days ahead, and on its day record the findings
    and the checklist (all 'yes' except the `answers_no` keys, with their notes)."""
    day = schedule(cast, application, working_days=INSPECTION_NOTICE, carried_out=True)
    clock.move_to(day)  # the inspection takes place on the day it was scheduled for
    recorded = record_findings(cast, application, findings)
    answers_no = answers_no or {}
    answers = {item.key: {"answer": "no", "note": answers_no[item.key]}
               if item.key in answers_no else {"answer": "yes", "note": ""}
               for item in inspections.checklist_for(application)}
    default = _summaries(len(recorded))
    inspections.record_inspection(cast.inspector, application, local_today(), answers,
                                  summary or default[0], summary_en or default[1])
    return recorded


def _summaries(findings: int) -> tuple[str, str]:
    """An inspection's summary, in Russian and for the dossier in English, that says how many
    findings it recorded (one with findings said "no deficiencies")."""
    if not findings:
        return ("Выездная проверка проведена, замечаний нет.",
                "On-site inspection carried out; no deficiencies found.")
    return (f"Выездная проверка проведена; выявлено несоответствий: {findings}, "
            "корректирующие действия требуются.",
            f"On-site inspection carried out; nonconformities found: {findings}, corrective "
            "actions required.")


def _result_data(limit: LabLimit, measured: dict) -> dict:
    data = {"limit_id": limit.id, "tested_on": local_today(), "valid_days": None,
            "method": METHODS.get(limit.parameter, "ВЭЖХ-МС/МС, аттестованная методика"),
            "value": None, "unit": None, "loq": None, "detected": None}
    if limit.parameter in measured:
        data.update(measured[limit.parameter])
    elif limit.kind == LimitKind.max:
        data.update(value=(limit.value * Decimal("0.3")).normalize(), unit=limit.unit)
    else:
        data.update(detected="no", method="Визуальный и микроскопический анализ (МСФМ 27)"
                    if limit.kind == LimitKind.absent else data["method"])
    return data


def take_samples(cast: Cast, application: Application,
                 accredited: str | None = None) -> list[Sample]:
    """Take one sample per product and send them to the laboratory (→ lab_testing): the
    accredited laboratory named `accredited`, which posts its results itself, if given; a
    veterinary sample goes to the veterinary reference centre, which has an account too."""
    clock.wait("sampling")
    veterinary = application.gacc_category.committee == "veterinary"
    accredited = accredited or (VET_LAB if veterinary else None)
    lab_id = next((lab.id for lab in accreditation.accredited_laboratories()
                   if lab.name == accredited), None)
    samples = [laboratory.record_sample(
        cast.inspector, application, laboratory.SampleInput.from_mapping({
        "code": f"S-{application.id:04d}-{number}", "product_code": line.product_code,
        "taken_on": local_today(), "matrix": line.product.name_ru,  # the inspector's words
        "laboratory": "" if lab_id else VET_LAB if veterinary else PHYTO_LAB,
        "laboratory_id": lab_id,
    })) for number, line in enumerate(application.products, start=1)]
    laboratory.send_to_lab(cast.inspector, application)
    return samples


def record_results(cast: Cast, application: Application, samples: list[Sample],
                   measured: dict | None = None, count: int | None = None,
                   valid_days: int | None = None) -> None:
    """Record results for the required parameters of each sample (a compliant value unless
    `measured` says otherwise), valid for `valid_days` (None: no end); close laboratory
    testing unless only `count` are recorded."""
    clock.wait("laboratory")
    for sample in samples:
        required = [limit for limit in laboratory.limits_for_sample(sample) if limit.required]
        for limit in required[:count]:
            data = {**_result_data(limit, measured or {}), "valid_days": valid_days}
            laboratory.record_result(cast.inspector, application, sample,
                                     laboratory.LabResultInput.from_mapping(data))
    if count is None:
        laboratory.record_lab_results(cast.inspector, application)


def to_inspected(cast: Cast, application: Application, **inspection) -> None:
    """Submit, review (every document accepted) and inspect."""
    clock.wait("prepare")
    applications.submit_application(cast.exporter, application)
    start_review(cast, application)
    inspect(cast, application, **inspection)


def to_positive(cast: Cast, application: Application) -> None:
    """Take a draft to a positive conclusion: review, inspection, laboratory when the products
    require results, conclusion."""
    to_inspected(cast, application)
    if conclusions.required_limits(application):
        record_results(cast, application, take_samples(cast, application))
    clock.wait("conclusion")
    conclusions.conclude_positive(cast.inspector, application)


def corrective_actions_due(cast: Cast, application: Application, findings: list[Finding],
                           actions: tuple[tuple[str, str], ...], days: int = 20) -> None:
    """Ask for a corrective action per finding, as (the inspector's Russian, the dossier's
    English), due on the first working day from `days` calendar days ahead."""
    clock.wait("conclusion")
    due = working_calendar().add_working_days(local_today() + timedelta(days=days), 0)
    plan = {finding.id: corrective_actions.CorrectiveActionInput(
        action=action, action_en=action_en, due_date=due)
        for finding, (action, action_en) in zip(findings, actions, strict=True)}
    corrective_actions.require_corrective_actions(cast.inspector, application, plan)


def upload_evidence(cast: Cast, application: Application, finding: Finding, name: str,
                    note: str) -> None:
    """The exporter uploads evidence for a finding (the inspector has yet to verify it)."""
    clock.wait("review")
    corrective_actions.submit_corrective_evidence(
        cast.exporter, application, finding.id,
        io.BytesIO(demo_pdf(name, application.enterprise.name_en, application.reference)),
        f"{name}.pdf", note)
