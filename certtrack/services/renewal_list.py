"""GACC's Order 280 renewal list: which categories must still apply, edited by administrators."""

from flask_babel import gettext as _
from sqlalchemy import func, select

from certtrack.domain.workflow import LIVE_REGISTRATION_STATUSES
from certtrack.extensions import db
from certtrack.models import GaccCategory, Registration, User
from certtrack.models.base import utcnow
from certtrack.services.audit import record_event
from certtrack.services.errors import NotFound, ValidationFailed
from certtrack.services.inputs import ListingInput
from certtrack.services.limits import CONFIDENCES
from certtrack.services.permissions import require_admin
from certtrack.services.transaction import check_loaded_version, transaction


def list_categories(actor: User) -> list[GaccCategory]:
    """The GACC categories with their place on the list, by code.

    :raise PermissionDenied: the actor is not an administrator.
    """
    require_admin(actor, _("Only administrators manage the reference data."))
    return list(db.session.scalars(select(GaccCategory).order_by(GaccCategory.code)))


def get_category(actor: User, code: str) -> GaccCategory:
    """One category for an administrator. :raise PermissionDenied / NotFound."""
    require_admin(actor, _("Only administrators manage the reference data."))
    category = db.session.get(GaccCategory, code)
    if category is None:
        raise NotFound(_("No such category."))
    return category


def registrations_in_force(category: GaccCategory) -> int:
    """How many registrations in force (active or suspended) of the category the listing
    decides for: whether they must apply for renewal or are renewed automatically."""
    return db.session.scalar(select(func.count()).select_from(Registration).where(
        Registration.gacc_category_code == category.code,
        Registration.status.in_(LIVE_REGISTRATION_STATUSES)))


def update_listing(actor: User, category: GaccCategory, data: ListingInput) -> bool:
    """Set whether the category is on the list (on_list), with its source and confidence.

    The reference loader keeps the edit from then on; one audit row with before and after.
    Returns False when nothing changed.
    :raise PermissionDenied: the actor is not an administrator.
    :raise ValidationFailed: an empty source or an unknown confidence.
    :raise Conflict: saved by someone else since the page was loaded.
    """
    require_admin(actor, _("Only administrators manage the reference data."))
    values = {"renewal_list_280": bool(data.on_list),
              "renewal_list_source": (data.source or "").strip(),
              "renewal_list_confidence": data.confidence}
    errors = {}
    if not values["renewal_list_source"]:
        errors["source"] = [_("Name the source.")]
    if values["renewal_list_confidence"] not in CONFIDENCES:
        errors["confidence"] = [_("Choose V, S or U.")]
    if errors:
        raise ValidationFailed(errors)
    before = {name: getattr(category, name) for name in values}
    if before == values:
        return False
    check_loaded_version(category, data.version)
    with transaction():
        for name, value in values.items():
            setattr(category, name, value)
        category.renewal_list_edited_at = utcnow()
        record_event(actor, "renewal_list_updated", object_type="gacc_category",
                     object_id=None, data={"category": category.code, "before": before,
                                           "after": values})
    return True
