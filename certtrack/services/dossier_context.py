"""The plain context of a recommendation dossier, read from the database (pdf DossierContext).

The dossier goes to GACC, so its wording is English with Chinese (headings, the letter, states,
decisions and terms: print_terms), whatever the registrar's language; names keep every language
they were given in.
"""

import datetime as dt
import re
from decimal import Decimal

from sqlalchemy import select

from certtrack.domain.calendar import regime_for
from certtrack.domain.scripts import latin_or_chinese
from certtrack.domain.workflow import Role
from certtrack.extensions import db
from certtrack.models import AuditEvent, LabResult
from certtrack.services.audit import timeline
from certtrack.services.conclusions import STANDARD_SENTENCES, conclusion_in, latest_results
from certtrack.services.documents import current_documents
from certtrack.services.inspections import current_inspection, findings_of
from certtrack.services.laboratory import plain
from certtrack.services.officials import official_profile, signer
from certtrack.services.permissions import has_role
from certtrack.services.print_context import authority, local_time, names
from certtrack.services.print_terms import (
    ANSWERS,
    APPLICATION_KINDS,
    DECISIONS,
    ESTABLISHMENT_TYPES,
    FINDING_STATUSES,
    INSPECTION_MODES,
    LEGAL_BASES,
    QUESTIONS,
    STATES,
    bilingual,
)
from certtrack.services.quarantine import measurements_of
from certtrack.services.reference import standard_citations
from certtrack.services.sources import source_in

ADDRESSEE = {"name": "General Administration of Customs of the People’s Republic of China",
             "name_zh": "中华人民共和国海关总署",
             "department": "Import and Export Food Safety Bureau",
             "department_zh": "进出口食品安全局",
             "address": "No. 6 Jianguomennei Avenue, Dongcheng District, Beijing",
             "address_zh": "北京市东城区建国门内大街6号"}
LETTER = (
    "In accordance with the bilateral protocols between the Ministry of Agriculture of the "
    "Republic of Kazakhstan and the General Administration of Customs of the People’s Republic "
    "of China and with {basis}, the {committee} recommends the {count} listed "
    "below for registration.",
    "{each} been inspected by state inspectors of the competent authority; {follow}",
    "The competent authority guarantees that {these} under its official "
    "supervision. The list of attached documents with their SHA-256 checksums is given for "
    "each establishment.",
    "We kindly request the General Administration of Customs to consider the registration "
    "of {these_short}.",
)
LETTER_ZH = (
    "根据哈萨克斯坦共和国农业部与中华人民共和国海关总署签署的双边议定书以及{basis}，"
    "{committee}推荐下列{count}在华注册。",
    "{each}由主管部门国家检查员检查；{follow}",
    "主管部门保证上述企业处于其官方监管之下。每家企业的附件清单及其SHA-256校验值附后。",
    "恳请海关总署审议上述企业的注册申请。",
)
# What follows the letter: with laboratory results when the dossier has any.
FOLLOW = {
    True: ("the findings, the corrective actions and the laboratory results against the limits "
           "of the national food safety standards of the People’s Republic of China follow.",
           "检查发现、整改措施以及依据中华人民共和国食品安全国家标准限量的实验室检测结果附后。"),
    False: ("the findings and the corrective actions follow; the products required no "
            "laboratory testing.", "检查发现及整改措施附后；所列产品无需实验室检测。"),
}


def grouped(value: Decimal) -> str:
    """A quantity with its thousands apart by a narrow no-break space (40 000), as the
    certificates print theirs (pdf.templating.format_quantity: read alike in English and
    Chinese, where a comma or a dot could be taken for a decimal mark)."""
    return format(Decimal(value).normalize(), ",f").replace(",", "\u202f")


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return plain(value)
    if isinstance(value, dt.date):
        return value.strftime("%d.%m.%Y")
    return str(value).replace("_", " ")


def _questionnaire(application) -> list[dict]:
    """The questionnaire's questions and answers in English and Chinese (an answer given as a
    code) or as the exporter wrote them; a question left unanswered shows a dash."""
    rows = []
    for name, question in QUESTIONS:
        value = getattr(application, name)
        answer = bilingual(ANSWERS[name], value) if name in ANSWERS else _text(value)
        rows.append({"question": " · ".join(question), "answer": answer or "—"})
    return rows


def _date(moment: dt.datetime | None) -> dt.date | None:
    local = local_time(moment)
    return local.date() if local is not None else None


def _establishment(application) -> dict:
    establishment = application.establishment
    capacity = "; ".join(part for part in (
        f"{grouped(application.production_capacity)} t/day"
        if application.production_capacity is not None else "",
        f"storage {grouped(application.storage_capacity)} t"
        if application.storage_capacity is not None else "") if part)
    kind = ESTABLISHMENT_TYPES.get(establishment.type, {})
    return {"name": names(establishment), "address": names(establishment, "address"),
            "type": " · ".join(kind[lang] for lang in ("en", "zh") if kind.get(lang))
            or _text(establishment.type).capitalize(),
            "region": names(establishment.region),
            "approval_number": establishment.kz_registration_number, "capacity": capacity}


def _concluded_on(application) -> dt.date | None:
    moment = db.session.scalar(select(AuditEvent.at).where(
        AuditEvent.application_id == application.id, AuditEvent.action == "conclude_positive")
        .order_by(AuditEvent.seq.desc()).limit(1))
    return _date(moment)


def _findings(application) -> tuple[list[dict], list[dict]]:
    """The findings and their corrective actions as GACC reads them: each text's English or
    Chinese version when the inspector gave one, else the text as written (a finding recorded
    before the versions were asked for may be in Cyrillic); the exporter's evidence note only
    when written in Latin or Chinese script; a finding's clause beside its requirement when
    written so too."""
    findings, actions = [], []
    for finding in findings_of(application):
        ref = f"F{finding.number}"
        requirement = finding.requirement_en or finding.requirement
        if finding.clause and latin_or_chinese(finding.clause):  # as GACC reads it
            requirement += f" ({finding.clause})"
        findings.append({"ref": ref, "grade": finding.severity, "requirement": requirement,
                         "description": finding.observation_en or finding.observation,
                         "status": bilingual(FINDING_STATUSES, finding.status)})
        if finding.corrective_action:
            action = finding.corrective_action_en or finding.corrective_action
            if finding.evidence_note and latin_or_chinese(finding.evidence_note):
                action += f" Evidence: {finding.evidence_note}"
            actions.append({"finding": ref, "action": action, "due_on": finding.due_date,
                            "closed_on": _date(finding.verified_at)
                            if finding.status == "closed" else None,
                            "status": bilingual(FINDING_STATUSES, finding.status)})
    return findings, actions


# Measures of quarantine_requirements.csv, named in English and Chinese for GACC.
MEASURE_NAMES = {"moisture": "Moisture · 水分", "foreign_matter": "Foreign matter · 杂质",
                 "weed_seeds": "Quarantine weed seeds · 检疫性杂草籽",
                 "live_pests": "Live pests · 活虫"}


def _requirement(row) -> str:
    if row.requirement_kind == "max":
        return f"≤ {plain(row.requirement_value)} {row.unit}"
    return "none may be found" if row.requirement_kind == "none" else "no requirement"


def _bilingual_name(row, text: str = "name") -> str:
    """A reference row's name (or parameter) as GACC reads it: English · Chinese."""
    english, chinese = (getattr(row, f"{text}_in")(language) for language in ("en", "zh"))
    return english if chinese == english else f"{english} · {chinese}"


def _measurements(application) -> list[dict]:
    return [{"product": _bilingual_name(row.product) if row.product else row.product_code,
             "measure": MEASURE_NAMES.get(row.measure, row.measure),
             "value": f"{plain(row.value)} {row.unit}", "species": row.species,
             "requirement": _requirement(row),
             "verdict": "no requirement" if row.verdict == "no_requirement" else row.verdict,
             **_citations(row.requirement_source)}
            for row in measurements_of(application)]


def official_name(user) -> str:
    """A person as a foreign authority reads them: an official by their profile's name in
    English and Chinese (else Kazakh); a member of staff without a profile by their authority,
    never by the account's name; an exporter's representative by their name."""
    profile = official_profile(user)
    if profile is not None:
        return " · ".join(part for part in (profile.name_en or profile.name_kk,
                                             profile.name_zh) if part)
    if user is not None and has_role(user, Role.registrar, Role.inspector):
        name = authority(user.committee)["name"]
        return f"{name['en'].split(',')[0]} · {name['zh']}"
    return user.full_name if user is not None else ""


def _officials(users) -> list[str]:
    """The officials' names, each once (staff without a profile share their authority's)."""
    return list(dict.fromkeys(official_name(user) for user in users))


def _summary(inspection) -> str:
    """The inspection's summary as GACC reads it: its English or Chinese version, else the
    summary itself when written so; never the Kazakh or Russian one."""
    summary = inspection.summary_en or inspection.summary or ""
    return summary if latin_or_chinese(summary) else ""


def _inspection(application) -> dict:
    inspection = current_inspection(application)
    findings, actions = _findings(application)
    measurements = _measurements(application)
    if inspection is None:
        return {"mode": "—", "date": None, "inspectors": [], "summary": "",
                "findings": findings, "corrective_actions": actions,
                "measurements": measurements}
    return {"mode": bilingual(INSPECTION_MODES, inspection.mode),
            "date": inspection.performed_on or inspection.scheduled_for,
            "inspectors": _officials(inspection.inspectors),
            "summary": _summary(inspection), "findings": findings, "corrective_actions": actions,
            "measurements": measurements}


# What a source text may carry besides its citation: the reference file's working notes and
# confidence marks (docs/domain.md), which are for administrators, never for GACC.
_NOTE = re.compile(r"brief|confidence|summari[sz]ed|recalled|to be checked|not read|§",
                   re.IGNORECASE)
_MARK = re.compile(r"\s*\[[VSU]\]")


def citation(source: str | None) -> str:
    """A limit's or requirement's source as printed for a foreign authority: the standard and
    its clause (table, line), never a note of the reference file or a confidence mark."""
    source = (source or "").strip()
    known = standard_citations().get(source)
    if known:
        return known
    parts = [part for part in source.split("; ") if not _NOTE.search(part)]
    return _MARK.sub("", "; ".join(parts)).strip()


def _citations(source: str | None) -> dict:
    """{"source": the citation, "source_zh": the same in Chinese, when the reference files
    give it}."""
    english = citation(source)
    chinese = source_in(english, "zh")
    return {"source": english, **({"source_zh": chinese} if chinese != english else {})}


def _limit(row: LabResult) -> str:
    limit = row.limit
    if limit is None:
        return ""
    if limit.kind == "max":
        return f"≤ {plain(limit.value)} {limit.unit}".strip()
    return "not detected" if limit.kind == "not_detected" else "absent"


def _value(row: LabResult) -> str:
    if row.value is not None:
        return plain(row.value)
    return {False: "not detected", True: "detected"}.get(row.detected, "")


# A result's verdict explained for GACC; the stored reason is the evaluation's working text.
REASONS = {"below_loq": "Below the limit of quantification · 低于定量限",
           "non_compliant": "Does not meet the limit · 不符合限量要求"}


def _lab_results(application) -> list[dict]:
    """Every result, a replaced one (by a later result of its sample, or a retest of another
    sample) marked so: a failing result printed beside a positive conclusion says why."""
    rows = db.session.scalars(select(LabResult).where(LabResult.application_id ==
                                                      application.id)
                              .order_by(LabResult.sample_id, LabResult.id))
    counted = {row.id for row in latest_results(application)}
    return [{"sample": row.sample.code, "replaced": row.id not in counted,
             "laboratory": _bilingual_name(row.sample, "laboratory_name"),
             "tested_on": row.tested_on, "parameter": _bilingual_name(row, "parameter"),
             "value": _value(row), "unit": row.unit or "", "limit": _limit(row),
             "verdict": "compliant" if row.verdict == "below_loq" else row.verdict,
             "reason": REASONS.get(row.verdict, ""), **_citations(row.limit_source)}
            for row in rows]


def _documents(application) -> list[dict]:
    return [{"title": " · ".join(name for name in (document.document_type.name_en,
                                                   document.document_type.name_zh) if name),
             "filename": document.original_name,
             "size": document.size, "sha256": document.sha256,
             "uploaded_on": _date(document.uploaded_at)}
            for document in current_documents(application)]


def _timeline(application) -> list[dict]:
    """The decisions on the application (DECISIONS), not each upload or edit between them;
    each one's comment when written in Latin or Chinese script (one in Kazakh or Russian, as
    the exporter read it, GACC does not read: the report above gives the findings, actions
    and summary in English or Chinese)."""
    return [{"at": local_time(event.at),
             "actor": official_name(event.actor) if event.actor else "certtrack",
             "action": bilingual(DECISIONS, event.action),
             "from_state": bilingual(STATES, event.from_state),
             "to_state": bilingual(STATES, event.to_state),
             "comment": event.comment if latin_or_chinese(event.comment or "") else ""}
            for event in timeline(application) if event.action in DECISIONS]


def enterprise_context(application) -> dict:
    """Take an application; return its DossierEnterprise: identity to audit timeline."""
    enterprise = application.enterprise
    return {
        "name": names(enterprise), "bin": enterprise.bin, "legal_address": enterprise.address,
        "representative": enterprise.legal_representative,
        "contact": " · ".join(part for part in (enterprise.phone, enterprise.email) if part),
        "establishment": _establishment(application),
        "authority": authority(application.gacc_category.committee)["name"],
        "application": {"number": application.reference,
                        "kind": bilingual(APPLICATION_KINDS, application.kind),
                        "category": names(application.gacc_category),
                        "submitted_on": _date(application.submitted_at),
                        "concluded_on": _concluded_on(application)},
        "products": [{"hs_code": line.product.hs_code, "name": names(line.product),
                      "volume": f"{grouped(line.annual_volume)} {line.volume_unit}/year"}
                     for line in application.products],
        "questionnaire": _questionnaire(application),
        "inspection": _inspection(application), "lab_results": _lab_results(application),
        "documents": _documents(application), "timeline": _timeline(application),
        "conclusion": _conclusion(application.conclusion),
    }


def _conclusion(stored: str | None) -> str:
    """The inspection's conclusion as the dossier prints it: the standard sentence in English
    and Chinese, a text the inspector wrote as written."""
    if stored in STANDARD_SENTENCES:
        return f"{conclusion_in(stored, 'en')} · {conclusion_in(stored, 'zh')}"
    return stored or ""


def _these(count: int) -> dict[str, str]:
    """The letter's words for the establishments it recommends, one or several."""
    if count == 1:
        return {"these": "this establishment is", "these_short": "this establishment",
                "each": "The establishment has"}
    return {"these": "these establishments are", "these_short": "these establishments",
            "each": "Each establishment has"}


def issuing_committee(applications: list) -> str | None:
    """The committee that concluded every application, or None when they span committees:
    the ministry, the central authority, then sends the batch."""
    committees = {application.gacc_category.committee for application in applications}
    return committees.pop() if len(committees) == 1 else None


def dossier_context(applications: list, *, reference: str, date: dt.date, signatory,
                    batch: str | None = None) -> dict:
    """Take the recommended applications, the letter's particulars and the user who signs it;
    return a DossierContext.

    The authority is the committee that concluded the applications, or the ministry for a
    batch spanning committees; the signatory is named by their official profile
    (officials.signer). Changes nothing.
    """
    committee = issuing_committee(applications)
    issuer = authority(committee)
    count = len(applications)
    what = "establishment" if count == 1 else f"{count} establishments"
    what_zh = "企业" if count == 1 else f"{count}家企业"
    basis = LEGAL_BASES[regime_for(date)]  # the GACC rules in force on the letter's date
    enterprises = [enterprise_context(application) for application in applications]
    follow = FOLLOW[any(enterprise["lab_results"] for enterprise in enterprises)]
    context = {
        "reference": reference, "date": date, "authority": issuer, "addressee": dict(ADDRESSEE),
        "subject": f"Recommendation of {'one Kazakh' if count == 1 else count} "
                   f"{'establishment' if count == 1 else 'Kazakh establishments'} for "
                   f"registration",
        "subject_zh": f"关于推荐{'一家' if count == 1 else f'{count}家'}哈萨克斯坦企业在华注册的函",
        "letter": [paragraph.format(committee=issuer["name"]["en"].split(",")[0], count=what,
                                    basis=basis["en"], follow=follow[0], **_these(count))
                   for paragraph in LETTER],
        "letter_zh": [paragraph.format(committee=issuer["name"]["zh"], count=what_zh,
                                       basis=basis["zh"], follow=follow[1],
                                       each="该企业已" if count == 1 else "各企业均已")
                      for paragraph in LETTER_ZH],
        "signatory": signer(signatory, committee),
        "enterprises": enterprises,
    }
    if batch:
        context["batch"] = batch
    return context
