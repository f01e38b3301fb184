"""Labels of the audit trail beyond the workflow's steps: the records, accounts and sign-ins
that `record_event` writes (merged into labels.ACTIONS), and what an event acted on."""

from flask_babel import lazy_gettext as _l

RECORD_ACTIONS = {
    # Enterprises and reference data
    "enterprise_registered": _l("Enterprise registered"),
    "enterprise_updated": _l("Enterprise saved"),
    "establishment_added": _l("Establishment added"),
    "establishment_updated": _l("Establishment saved"),
    "name_change_requested": _l("Name change requested"),
    "laboratory_created": _l("Laboratory added"),
    "market_access_updated": _l("Market access changed"),
    "renewal_list_updated": _l("Order 280 renewal list changed"),
    # Consignments and their certificates
    "consignment_created": _l("Certificate request created"),
    "consignment_updated": _l("Certificate request saved"),
    "consignment_lot_added": _l("Lot added"),
    "consignment_document_uploaded": _l("Consignment document uploaded"),
    "consignment_submit": _l("Certificate requested"),
    "consignment_withdraw": _l("Certificate request withdrawn"),
    "consignment_start_inspection": _l("Consignment inspection started"),
    "consignment_inspected": _l("Consignment inspection recorded"),
    "consignment_lab_result": _l("Consignment laboratory result recorded"),
    "consignment_lab_result_removed": _l("Consignment laboratory result removed"),
    "consignment_treatment": _l("Treatment recorded"),
    "consignment_treatment_removed": _l("Treatment removed"),
    "consignment_declarations": _l("Additional declarations chosen"),
    "consignment_refuse": _l("Consignment certificate refused"),
    "consignment_issue": _l("Consignment certificate issued"),
    "consignment_certificate_issued": _l("Consignment certificate numbered"),
    "consignment_certificate_pdf_stored": _l("Consignment certificate sealed and stored"),
    # Accounts and sign-in
    "user_created": _l("Account created"),
    "user_updated": _l("Account saved"),
    "official_profile_saved": _l("Official's signature details saved"),
    "password_changed": _l("Password changed"),
    "password_reset": _l("Password reset by an administrator"),
    "totp_enabled": _l("Second factor enrolled"),
    "totp_reset": _l("Second factor reset"),
    "recovery_code_used": _l("Recovery code used"),
    "recovery_codes_renewed": _l("Recovery codes renewed"),
    "login": _l("Signed in"),
    "login_failed": _l("Sign-in failed"),
    "login_refused": _l("Sign-in refused (too many attempts)"),
    "logout": _l("Signed out"),
}

# What an audit event acted on (AuditEvent.object_type).
OBJECT_TYPES = {
    "api_token": _l("API token"),
    "application": _l("Application"),
    "certificate": _l("Certificate"),
    "consignment": _l("Consignment"),
    "document": _l("Document"),
    "dossier": _l("Dossier"),
    "enterprise": _l("Enterprise"),
    "establishment": _l("Establishment"),
    "finding": _l("Finding"),
    "gacc_batch": _l("GACC batch"),
    "gacc_category": _l("GACC category"),
    "lab_limit": _l("Laboratory limit"),
    "lab_result": _l("Laboratory result"),
    "laboratory": _l("Laboratory"),
    "market_access": _l("Market access"),
    "name_change_request": _l("Name change"),
    "quarantine_measurement": _l("Quarantine measurement"),
    "registration": _l("Registration"),
    "sample": _l("Sample"),
    "user": _l("Account"),
    "webhook": _l("Webhook"),
}
