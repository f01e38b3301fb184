"""Who among the inspectors hears of a move on an application that is not theirs to make: the
exporter's evidence, a laboratory's results, a result expired before the conclusion."""

from certtrack.domain.workflow import Role
from certtrack.models import Application, User
from certtrack.services.permissions import in_inspector_territory
from certtrack.services.review import eligible_inspectors


def inspectors_to_tell(application: Application) -> list[User]:
    """Who hears of the exporter's or a laboratory's move on an application: its assignee, or,
    while none is (released, or no longer an active inspector), the active inspectors of its
    committee who cover its region; the evidence uploaded was told to nobody."""
    assignee = application.assignee
    if assignee is not None and assignee.is_active and assignee.role == Role.inspector:
        return [assignee]
    return [user for user in eligible_inspectors(application)
            if in_inspector_territory(user, application)]
