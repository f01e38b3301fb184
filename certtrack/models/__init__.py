"""SQLAlchemy models, one module per aggregate; importing this package registers every table."""

from certtrack.extensions import db
from certtrack.models.api import (
    ApiToken,
    IdempotencyRecord,
    Laboratory,
    Webhook,
    WebhookDelivery,
)
from certtrack.models.application import Application, ApplicationProduct
from certtrack.models.audit import AuditAnchor, AuditEvent, AuditHead
from certtrack.models.certificate import (
    Certificate,
    CertificateCounter,
    Dossier,
    StoredPdf,
    VerificationLog,
)
from certtrack.models.change_request import NameChangeRequest
from certtrack.models.checks import attach_checks
from certtrack.models.consignment import (
    Consignment,
    ConsignmentCertificate,
    ConsignmentCertificateCounter,
    ConsignmentDeclaration,
    ConsignmentDocument,
    ConsignmentLabResult,
    ConsignmentLot,
    ConsignmentTreatment,
)
from certtrack.models.document import Document
from certtrack.models.enterprise import Enterprise, Establishment
from certtrack.models.inspection import (
    CorrectionRequest,
    Finding,
    Inspection,
    LabResult,
    QuarantineMeasurement,
    Sample,
)
from certtrack.models.job import JobFailure, JobLock
from certtrack.models.market_access import BorderCrossing, MarketAccess, ProtocolDeclaration
from certtrack.models.postgresql import POSTGRESQL_ONLY_INDEXES  # noqa: F401 - their DDL
from certtrack.models.reference import (
    DocumentType,
    GaccCategory,
    Holiday,
    LabLimit,
    LabParameter,
    Product,
    QuarantineRequirement,
    Region,
    RequiredDocument,
)
from certtrack.models.registration import GaccBatch, Notification, OutboxEmail, Registration
from certtrack.models.search import enterprise_search, registration_search
from certtrack.models.user import (
    LoginAttempt,
    OfficialProfile,
    RecoveryCode,
    ThrottleCounter,
    User,
    UserSession,
    user_regions,
)

attach_checks(db.metadata)

__all__ = [
    "ApiToken",
    "IdempotencyRecord",
    "Laboratory",
    "Webhook",
    "WebhookDelivery",
    "Application",
    "ApplicationProduct",
    "AuditAnchor",
    "AuditEvent",
    "AuditHead",
    "BorderCrossing",
    "Certificate",
    "CertificateCounter",
    "Consignment",
    "ConsignmentCertificate",
    "ConsignmentCertificateCounter",
    "ConsignmentDeclaration",
    "ConsignmentDocument",
    "ConsignmentLabResult",
    "ConsignmentLot",
    "ConsignmentTreatment",
    "CorrectionRequest",
    "Document",
    "Dossier",
    "DocumentType",
    "Enterprise",
    "enterprise_search",
    "Establishment",
    "Finding",
    "GaccBatch",
    "GaccCategory",
    "Holiday",
    "Inspection",
    "JobFailure",
    "JobLock",
    "LabResult",
    "LabLimit",
    "LabParameter",
    "LoginAttempt",
    "RecoveryCode",
    "ThrottleCounter",
    "UserSession",
    "MarketAccess",
    "NameChangeRequest",
    "Notification",
    "OfficialProfile",
    "OutboxEmail",
    "Product",
    "ProtocolDeclaration",
    "QuarantineMeasurement",
    "QuarantineRequirement",
    "Region",
    "Registration",
    "registration_search",
    "RequiredDocument",
    "Sample",
    "StoredPdf",
    "User",
    "user_regions",
    "VerificationLog",
]
