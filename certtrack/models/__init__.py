"""SQLAlchemy models, one module per aggregate; importing this package registers every table."""

from certtrack.models.application import Application, ApplicationProduct
from certtrack.models.audit import AuditEvent, AuditHead
from certtrack.models.document import Document
from certtrack.models.enterprise import Enterprise, Establishment
from certtrack.models.reference import (
    DocumentType,
    GaccCategory,
    Holiday,
    LabLimit,
    Product,
    Region,
    RequiredDocument,
)
from certtrack.models.user import LoginAttempt, User, user_regions

__all__ = [
    "Application",
    "ApplicationProduct",
    "AuditEvent",
    "AuditHead",
    "Document",
    "DocumentType",
    "Enterprise",
    "Establishment",
    "GaccCategory",
    "Holiday",
    "LabLimit",
    "LoginAttempt",
    "Product",
    "Region",
    "RequiredDocument",
    "User",
    "user_regions",
]
