"""An issued consignment certificate corrected or cancelled (ISPM 12 section 6.1).

A certificate's data may need to change after issue: a wagon number mistyped, a consignee
changed, a treatment's dose. The exporter asks for a corrected certificate (the consignment is
its draft again, to edit and submit), or its inspector reopens it (to change the inspection's
entries); either way the certificate in force stays valid until the inspector issues the
replacement, which names it and carries the reason. A certificate whose goods do not leave,
or issued in error, is cancelled by its inspector: anyone who checks it reads so, with the
day and the reason. Withdrawing a corrected draft cancels its certificate the same way.
"""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from certtrack.domain.consignment import INSPECTOR_GROUNDS, CancellationGround
from certtrack.models import Consignment, User
from certtrack.services.applications import local_today
from certtrack.services.consignments.access import inspectors_to_tell, require_owner
from certtrack.services.consignments.drafts import deadline_for
from certtrack.services.consignments.gate import gate_refusals
from certtrack.services.consignments.in_force import cancel_certificate_in_force
from certtrack.services.consignments.inspection import require_inspector
from certtrack.services.consignments.workflow import apply_consignment_transition, check_version
from certtrack.services.errors import ValidationFailed
from certtrack.services.notifications import enterprise_users, link, notify
from certtrack.services.transaction import transaction


def _require_in_force(consignment: Consignment) -> None:
    """A correction ends in a new certificate, which the gate would refuse now (a suspended
    registration): refuse to begin it, saying why, rather than leave it stuck halfway.

    :raise ValidationFailed: the gate's refusals.
    """
    if problems := gate_refusals(consignment):
        raise ValidationFailed({"": problems})


def request_correction(actor: User, consignment: Consignment, reason: str,
                       version=None) -> None:
    """The exporter asks for a corrected certificate: the consignment is its draft again; the
    certificate stays valid until the replacement. Its inspector is told.

    :raise NotFound: not the consignment's exporter.
    :raise ValidationFailed: no reason; the registration is not in force (the gate's reason).
    :raise IllegalTransition / Conflict.
    """
    require_owner(actor, consignment)
    check_version(consignment, version)
    _require_in_force(consignment)
    reason = (reason or "").strip()
    with transaction():
        apply_consignment_transition(actor, consignment, "request_correction", comment=reason,
                                     values={"correction_reason": reason, "deadline": None})
        notify(inspectors_to_tell(consignment), "consignment_correction",
               _l("The exporter asks for a corrected certificate of consignment %(ref)s: "
                  "%(reason)s", ref=consignment.reference, reason=reason),
               link("consignment_inspection.detail", consignment_id=consignment.id))


def reopen(actor: User, consignment: Consignment, reason: str, version=None) -> None:
    """Its inspector reopens an issued consignment to correct the inspection's entries; the
    certificate stays valid until the replacement. The exporter is told.

    :raise PermissionDenied: not an inspector of its committee and region.
    :raise ValidationFailed: no reason; the registration is not in force (the gate's reason).
    :raise IllegalTransition / Conflict.
    """
    require_inspector(actor, consignment)
    check_version(consignment, version)
    _require_in_force(consignment)
    reason = (reason or "").strip()
    with transaction():  # its deadline counts again from today (it was long past)
        apply_consignment_transition(actor, consignment, "reopen", comment=reason,
                                     values={"correction_reason": reason,
                                             "inspector_id": actor.id,
                                             "deadline": deadline_for(consignment,
                                                                      local_today())})
        notify(enterprise_users(consignment.enterprise_id), "consignment_correction",
               _l("The certificate of consignment %(ref)s is being corrected: %(reason)s",
                  ref=consignment.reference, reason=reason),
               link("consignments.detail", consignment_id=consignment.id))


# The exporter's notification of a cancellation: its ground, as customs read it on the
# certificate's public page, then the inspector's reason.
_CANCELLED = {
    "not_exported": lambda **args: _l(
        "Certificate %(number)s of consignment %(ref)s is cancelled on the ground that the "
        "goods are not exported: %(reason)s", **args),
    "issued_in_error": lambda **args: _l(
        "Certificate %(number)s of consignment %(ref)s is cancelled on the ground that it "
        "was issued in error: %(reason)s", **args),
}


def cancel(actor: User, consignment: Consignment, reason: str, ground: str,
           version=None) -> None:
    """Its inspector cancels the certificate in force on one of INSPECTOR_GROUNDS (the goods
    do not leave, or it was issued in error), which anyone who checks it reads in their own
    language; the reason is the exporter's to read. Terminal; the exporter is told.

    :raise PermissionDenied: not an inspector of its committee and region.
    :raise IllegalTransition / Conflict.
    :raise ValidationFailed: no reason, or a ground not of INSPECTOR_GROUNDS.
    """
    require_inspector(actor, consignment)
    check_version(consignment, version)
    if ground not in INSPECTOR_GROUNDS:
        raise ValidationFailed({"ground": [_("Choose why the certificate is cancelled.")]})
    reason = (reason or "").strip()
    with transaction():
        apply_consignment_transition(actor, consignment, "cancel", comment=reason,
                                     data={"ground": ground})
        number = cancel_certificate_in_force(consignment, reason, CancellationGround(ground))
        notify(enterprise_users(consignment.enterprise_id),
               "consignment_cancelled",
               _CANCELLED[ground](number=number, ref=consignment.reference, reason=reason),
               link("consignments.detail", consignment_id=consignment.id))
