"""Translated labels for the values stored as codes (states, kinds, types, roles)."""

from enum import StrEnum

from flask_babel import lazy_gettext as _l

# Lazy, under the name pybabel extracts with its context by default: one English word with two
# meanings ("Active" account or registration, "Rejected" application or document) gets one
# message per meaning (msgctxt), each translated on its own.
from flask_babel import lazy_pgettext as pgettext

from certtrack.domain.compliance import LimitKind, Verdict
from certtrack.domain.vocabulary import (
    ApplicationKind,
    ChangeRequestStatus,
    Committee,
    Confidence,
    EstablishmentType,
    FindingStatus,
    HaccpStatus,
    InspectionMode,
    InvalidationCause,
    LegalForm,
    ListingRoute,
    Regime,
    ReviewStatus,
    Severity,
    SuspensionAuthority,
    VolumeUnit,
    WaterSource,
)
from certtrack.domain.workflow import RegistrationStatus, Role, State
from certtrack.services.quarantine import MEASURE_NAMES
from certtrack.web.audit_labels import JOBS, OBJECT_TYPES, RECORD_ACTIONS  # noqa: F401


def labelled(enum: type[StrEnum], labels: dict) -> dict[str, object]:
    """The labels of an enumeration's codes, in its order; every code must have one.

    :raise ValueError: a code of the enumeration has no label, or a label names no code.
    """
    missing = [code.value for code in enum if code.value not in labels]
    unknown = [key for key in labels if key not in {code.value for code in enum}]
    if missing or unknown:
        raise ValueError(f"labels of {enum.__name__}: missing {missing}, unknown {unknown}")
    return {code.value: labels[code.value] for code in enum}


STATES = {
    **labelled(State, {
        "draft": _l("Draft"),
        "submitted": _l("Submitted"),
        "under_review": _l("Under review"),
        "returned": _l("Returned for corrections"),
        "rejected": pgettext("application state", "Rejected"),
        "inspection_scheduled": _l("Inspection scheduled"),
        "inspected": _l("Inspected"),
        "corrective_actions": pgettext("application state", "Corrective actions"),
        "lab_testing": _l("Laboratory testing"),
        "conclusion_negative": _l("Negative conclusion"),
        "conclusion_positive": _l("Positive conclusion"),
        "recommended": _l("Recommended to GACC"),
        "submitted_to_gacc": _l("Submitted to GACC"),
        "gacc_returned": _l("Returned by GACC"),
        "gacc_refused": _l("Refused by GACC"),
        "registered": _l("Registered in China"),
        "withdrawn": _l("Withdrawn"),
    }),
    # Registration statuses: audit rows of a registration carry them, and no code collides.
    **labelled(RegistrationStatus, {
        "active": _l("Registration in force"),
        "suspended": _l("Registration suspended"),
        "revoked": _l("Registration revoked"),
        "cancelled": _l("Registration cancelled"),
        "expired": _l("Registration expired"),
        "invalidated": _l("Registration invalidated"),
    }),
}
ACTIONS = {
    "submit": _l("Submit application"),
    "resubmit": _l("Resubmit application"),
    "withdraw": _l("Withdraw application"),
    "application_created": _l("Application created"),
    "application_updated": _l("Application saved"),
    "product_added": _l("Product added"),
    "product_removed": _l("Product removed"),
    "document_uploaded": _l("Document uploaded"),
    "inspector_assigned": _l("Inspector assigned"),
    "application_claimed": _l("Taken by an inspector"),
    "assignment_released": _l("Unassigned: the inspector's account changed"),
    "start_review": _l("Start the completeness check"),
    "document_accepted": _l("Document accepted"),
    "document_rejected": _l("Document rejected"),
    "return_for_corrections": _l("Return for corrections"),
    "reject": _l("Reject application"),
    "schedule_inspection": _l("Schedule the inspection"),
    "finding_recorded": _l("Finding recorded"),
    "quarantine_measured": _l("Quarantine measurement recorded"),
    "record_inspection": _l("Record the inspection"),
    "require_corrective_actions": _l("Require corrective actions"),
    "submit_corrective_evidence": _l("Corrective-action evidence uploaded"),
    "finding_closed": _l("Finding closed"),
    "finding_reopened": _l("Finding re-opened"),
    "verify_corrective_actions": _l("Verify corrective actions"),
    "sample_recorded": _l("Sample recorded"),
    "lab_result_recorded": _l("Laboratory result recorded"),
    "send_to_lab": _l("Samples sent to the laboratory"),
    "record_lab_results": _l("Laboratory results complete"),
    "conclude_positive": _l("Positive conclusion"),
    "conclude_negative": _l("Negative conclusion"),
    "limit_updated": _l("Laboratory limit changed"),
    "recommend": _l("Recommend to GACC"),
    "submit_to_gacc": _l("Send to GACC"),
    "gacc_batch_created": _l("GACC batch created"),
    "record_gacc_return": _l("Record GACC's request for corrections"),
    "gacc_requests_answered": _l("GACC's requests answered by the exporter"),
    "resubmit_to_gacc": _l("Send back to GACC"),
    "record_gacc_refusal": _l("Record GACC's refusal"),
    "record_registration": _l("Record the registration"),
    "registration_renewed": _l("Registration renewed"),
    "registration_changed": _l("Change accepted by GACC"),
    "registration_renewed_automatically": _l("Renewed automatically (GACC Order 280)"),
    "renewal_started": _l("Renewal application started"),
    "suspend": _l("Suspend registration"),
    "amend_suspension": _l("Change the suspension's end"),
    "resume": _l("Resume registration"),
    "revoke": _l("Revoke registration"),
    "cancel": _l("Cancel registration"),
    "invalidate": _l("Invalidate registration"),
    "expire": _l("Expire registration"),
    "certificate_issued": _l("Certificate issued"),
    "certificate_revoked": _l("Certificate revoked"),
    "certificate_pdf_stored": _l("Certificate sealed and stored"),
    "dossier_generated": _l("Recommendation dossier generated"),
    "token_created": _l("API token created"),
    "token_revoked": _l("API token revoked"),
    "webhook_registered": _l("Webhook registered"),
    "webhook_disabled": _l("Webhook disabled"),
    **RECORD_ACTIONS,
}
# The names and addresses a registered enterprise or establishment asks to change
# (services.name_changes).
NAME_FIELDS = {"name_en": _l("Legal name in English"), "name_kk": _l("Legal name in Kazakh"),
               "name_ru": _l("Legal name in Russian"), "name_zh": _l("Legal name in Chinese"),
               "name": _l("Name in Kazakh"), "address": _l("Legal address")}
ESTABLISHMENT_NAME_FIELDS = {"name": _l("Name in Kazakh"), "name_ru": _l("Name in Russian"),
                             "name_en": _l("Name in English"), "name_zh": _l("Name in Chinese"),
                             "address": _l("Address in Kazakh"),
                             "address_ru": _l("Address in Russian"),
                             "address_en": _l("Address in English"),
                             "address_zh": _l("Address in Chinese")}
KINDS = labelled(ApplicationKind, {"new": _l("New registration"), "renewal": _l("Renewal"),
                                   "change": pgettext("kind of application", "Change")})
LEGAL_FORMS = labelled(LegalForm, {
    "llp": _l("Limited liability partnership (LLP)"),
    "jsc": _l("Joint-stock company (JSC)"),
    "ie": _l("Individual entrepreneur"),
    "peasant_farm": _l("Peasant or farm enterprise"),
    "production_cooperative": _l("Production cooperative"),
    "branch": _l("Branch of a legal entity"),
    "other": _l("Other"),
})
ESTABLISHMENT_TYPES = labelled(EstablishmentType, {
    "farm": _l("Farm"),
    "elevator": _l("Grain elevator"),
    "flour_mill": _l("Flour mill"),
    "oilseed_plant": _l("Oilseed plant"),
    "feed_mill": _l("Feed mill"),
    "slaughterhouse": _l("Slaughterhouse"),
    "cutting_plant": _l("Cutting plant"),
    "meat_processor": _l("Meat processor"),
    "cold_store": _l("Cold store"),
    "dairy": _l("Dairy"),
    "honey_packing": _l("Honey packing plant"),
})
HACCP_STATUSES = labelled(HaccpStatus, {
    "none": _l("No HACCP system yet"),
    "plan": _l("HACCP plan in place"),
    "certified": _l("HACCP certified"),
})
WATER_SOURCES = labelled(WaterSource, {
    "municipal": _l("Municipal supply"),
    "well": _l("Own well"),
    "surface": _l("Surface water"),
    "other": _l("Other"),
})
VOLUME_UNITS = labelled(VolumeUnit, {"t": _l("tonnes"), "kg": _l("kilograms"),
                                     "head": _l("head of livestock")})
ROLES = labelled(Role, {
    "exporter": _l("Exporter"),
    "inspector": _l("Inspector"),
    "registrar": _l("Registrar"),
    "admin": _l("Administrator"),
    "laboratory": _l("Accredited laboratory"),
})
COMMITTEES = labelled(Committee, {
    "phytosanitary": _l("Phytosanitary (State Inspection in the Agro-Industrial Complex)"),
    "veterinary": _l("Veterinary Control and Supervision"),
})
REVIEW_STATUSES = labelled(ReviewStatus, {
    "pending": _l("Not reviewed yet"),
    "accepted": _l("Accepted"),
    "rejected": pgettext("document review", "Rejected"),
})
VERDICTS = {
    **labelled(Verdict, {
        "compliant": _l("Compliant"),
        "non_compliant": _l("Non-compliant"),
        "below_loq": _l("Below LOQ"),
    }),
    # A quarantine measurement's verdict (domain/quarantine.py): no requirement for it.
    "no_requirement": _l("No requirement"),
}
QUARANTINE_MEASURES = MEASURE_NAMES
QUARANTINE_UNITS = {"%": "%", "per kg": _l("per kg"), "found": _l("found")}
LIMIT_KINDS = labelled(LimitKind, {
    "max": _l("Maximum"),
    "not_detected": _l("Must not be detected"),
    "absent": _l("Must be absent"),
})
CONFIDENCES = labelled(Confidence, {
    "V": _l("V — published source"),
    "S": _l("S — secondary source"),
    "U": _l("U — unverified"),
})
# How much of a protocol's date is known (domain.market_access.DATE_PRECISIONS).
DATE_PRECISIONS = {
    "day": _l("The exact day"),
    "month": _l("The month only (the day is not known)"),
    "year": _l("The year only"),
}
REGISTRATION_STATUSES = labelled(RegistrationStatus, {
    "active": pgettext("registration status", "Active"),
    "suspended": _l("Suspended"),
    "revoked": pgettext("registration status", "Revoked"),
    "cancelled": _l("Cancelled"),
    "expired": _l("Expired"),
    "invalidated": _l("Invalidated"),
})
# A registered application whose registration is no longer in force, as the lists of
# applications say it instead of "Registered in China".
REGISTRATION_NOW = {
    "suspended": _l("Registration in China suspended"),
    "revoked": _l("Registration in China revoked"),
    "cancelled": _l("Registration in China cancelled"),
    "expired": _l("Registration in China expired"),
    "invalidated": _l("Registration in China invalidated"),
}
# The first line of the public register's CSV (services.register.CSV_COLUMNS), in the
# reader's language as the page's own table heads.
REGISTER_COLUMNS = {
    "enterprise": _l("Enterprise"), "bin": _l("BIN"), "establishment": _l("Establishment"),
    "region": _l("Region"), "category": _l("Category"),
    "china_registration_number": _l("China registration number"),
    "valid_from": _l("Valid from"), "valid_to": _l("Valid until"), "status": _l("Status"),
    "products": _l("Products (HS)"),
    "products_produced_from": _l("For products produced on or after"),
    "suspended_until": _l("Suspended until"),
}
ROUTES = labelled(ListingRoute, {
    "under_guarantee": _l("Under the guarantee of the Kazakh authority"),
    "after_gacc_inspection": _l("After a GACC inspection"),
})
REGIMES = labelled(Regime, {"248": _l("GACC Decree 248"), "280": _l("GACC Order 280")})
SUSPENSION_AUTHORITIES = labelled(SuspensionAuthority, {
    "gacc": _l("GACC"),
    "kazakh_authority": _l("Kazakh authority"),
    "voluntary": _l("Voluntary (at the enterprise's request)"),
})
INVALIDATION_CAUSES = labelled(InvalidationCause, {
    "relocation": _l("Relocation of the establishment"),
    "legal_representative": _l("Change of legal representative"),
    "kz_registration_number": _l("Change of the Kazakh registration number"),
})
INSPECTION_MODES = labelled(InspectionMode, {"document": _l("Document review"),
                                             "video": _l("Video inspection"),
                                             "on_site": _l("On-site inspection")})
SEVERITIES = labelled(Severity, {"critical": _l("Critical"), "major": _l("Major"),
                                 "minor": _l("Minor")})
CHECKLIST_ANSWERS = {"yes": _l("Yes"), "no": _l("No"), "na": _l("Not applicable")}
FINDING_STATUSES = labelled(FindingStatus, {"open": _l("Open"),
                                            "evidence_submitted": _l("Evidence submitted"),
                                            "closed": _l("Closed")})
CHANGE_REQUEST_STATUSES = labelled(ChangeRequestStatus, {
    "pending": _l("Waiting for approval"), "approved": _l("Approved"), "refused": _l("Refused")})
TOKEN_SCOPES = {"read": _l("Read"), "write": _l("Write")}  # an API token's scopes
LANGUAGES = {"en": "English", "ru": "Русский", "kk": "Қазақша", "zh": "中文"}


def choices(labels: dict, blank: str | None = None) -> list[tuple[str, str]]:
    """(value, label) pairs for a SelectField, with an optional empty first choice."""
    pairs = [(value, label) for value, label in labels.items()]
    return [("", blank), *pairs] if blank is not None else pairs


# What an irreversible or hard-to-undo action does, shown in its confirmation step
# (`WebAction.confirm`); keyed by the action's row, `<table>.<row>` where names repeat.
CONSEQUENCES = {
    "withdraw": _l("A withdrawn application cannot be reopened; you would start a new one."),
    "reject": _l("The application is rejected for good: the exporter reads your reason and "
                 "cannot resubmit it."),
    "conclude_negative": _l("The application ends with a negative conclusion: this cannot be "
                            "undone, and the exporter reads the reasons."),
    "conclude_positive": _l("The application goes to the registrar to be recommended to GACC: "
                            "the conclusion cannot be changed afterwards, and the exporter is "
                            "told."),
    "recommend": _l("The ticked applications are recommended to GACC for good: they wait for "
                    "the next batch and cannot be taken back."),
    "submit_batch": _l("The ticked applications are recorded as sent to GACC under this "
                       "reference: they wait for GACC's decision, and this cannot be undone."),
    "record_registration": _l("The registration enters the public register at once and the "
                              "exporter is told; a wrong entry is corrected only by invalidating "
                              "it."),
    "submit": _l("The application and its documents go to the inspection as they are: you "
                 "cannot change them unless the inspector returns the application for "
                 "corrections."),
    "consignment.submit": _l("The request goes to the inspector with its lots and documents as "
                             "they are: you cannot change it afterwards, only withdraw it."),
    "record_gacc_refusal": _l("The application ends as refused by GACC: this cannot be undone."),
    "suspend": _l("Exports under this registration stop at once, until the suspension is "
                  "lifted; the exporter is told."),
    "resume": _l("The registration is in force again at once for products made on or after "
                 "the date given: the public register and the verification of its certificate "
                 "say so, and the exporter is told."),
    "revoke": _l("For GACC's revocation, citing its announcement. The registration ends for "
                 "good: it leaves the register, and the enterprise must apply again."),
    "cancel": _l("For an enterprise that stops exporting or asks to leave the register (GACC's "
                 "revocation is recorded as a revocation). The registration ends for good: it "
                 "leaves the register, and the enterprise must apply again."),
    "invalidate": _l("The China registration number is void for good: the registration leaves "
                     "the register."),
    "expire": _l("Its validity has passed and the daily job has not recorded it: the "
                 "registration ends as expired. This cannot be undone, and the enterprise must "
                 "apply again."),
    "certificate.replace": _l("This certificate verifies as “replaced” at once, and this "
                              "cannot be undone."),
    "certificate.issue": _l("The certificate takes the next number for good and verifies as "
                            "valid at once; the exporter is told. A mistake found afterwards "
                            "is corrected only by replacing or revoking it."),
    "consignment.issue": _l("The certificate takes the next number for good and is what "
                            "China's border checks; the exporter is told. A mistake found "
                            "afterwards is corrected only by replacing it."),
    "certificate.revoke": _l("This certificate verifies as revoked at once, and this cannot be "
                             "undone."),
    "consignment.withdraw": _l("A withdrawn consignment request cannot be reopened; you would "
                               "start a new one. A certificate already issued for it is "
                               "cancelled."),
    "consignment.request_correction": _l("The consignment becomes your draft again: correct it "
                                         "and submit it. Its certificate stays valid until the "
                                         "inspector issues the corrected one, which replaces "
                                         "it for good."),
    "consignment.reopen": _l("The consignment is under inspection again, for you to correct "
                             "its entries; its certificate stays valid until you issue the "
                             "corrected one, which replaces it for good. The exporter is told."),
    "consignment.cancel": _l("The certificate verifies as cancelled at once, on the ground you "
                             "chose, and no other replaces it: this cannot be undone. The "
                             "exporter is told, with your reason."),
    "remove_product": _l("The product is deleted from the draft with its annual volume: to "
                         "apply for it, you add it again."),
    "consignment.remove_lot": _l("The lot is deleted from the draft with its weights, packages "
                                 "and marks: to ship it, you add it again and type them anew."),
    "consignment.remove_document": _l("The document is deleted from the draft: to send it with "
                                      "the request, you upload the file again."),
    "consignment.remove_treatment": _l("The treatment is deleted from the consignment and will "
                                       "not print on its certificate; the audit trail keeps it "
                                       "with your reason."),
    "consignment.remove_lab_result": _l("The result is deleted from the consignment and no "
                                        "longer counts for its certificate; the audit trail "
                                        "keeps it with your reason."),
    "consignment.refuse": _l("No certificate will be issued for this consignment: this cannot "
                             "be undone, and the exporter reads your reason. A certificate "
                             "already issued for it is cancelled."),
    "return_for_corrections": _l("The application goes back to the exporter with these "
                                 "deficiencies, and the exporter is told at once: it comes back "
                                 "to you only when the exporter resubmits it."),
    "record_inspection": _l("The inspection is recorded with this date, checklist and summary, "
                            "which cannot be changed afterwards; the application moves on."),
    "require_corrective_actions": _l("The corrective actions and their due dates go to the "
                                     "exporter at once and cannot be changed afterwards."),
    "send_to_lab": _l("The samples without a result are recorded as sent to the laboratory: "
                      "the application waits for their results, and this cannot be undone."),
    "record_lab_results": _l("Laboratory testing closes and the exporter is told that the "
                             "results are in: a result missing now needs new samples."),
    "record_gacc_return": _l("GACC's request goes to the exporter and the inspector at once, "
                             "with its deadline: this cannot be undone."),
    "resubmit_to_gacc": _l("The application is recorded as back with GACC, and GACC's open "
                           "requests as answered: this cannot be undone."),
}
# The registration's steps that need a confirmation and a reason (resuming is not one).
REGISTRATION_CONSEQUENCES = ("suspend", "revoke", "cancel", "invalidate", "expire")

def label(labels: dict, value) -> str:
    """The label of a stored code, or the code itself when it has none."""
    return labels.get(value, value or "")
