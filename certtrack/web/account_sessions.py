"""What the account page shows of the user's security: the second factor and active sessions."""

from flask import g, session

from certtrack.services import sessions, two_factor
from certtrack.web.forms import BaseForm


def security_context() -> dict:
    """The account page's two-step sign-in status and the list of active sessions."""
    token = session.get("sid")
    return {
        "has_totp": g.user.has_totp,
        "totp_required": two_factor.required(g.user),
        "active_sessions": [(record, sessions.is_current(record, token))
                            for record in sessions.active_sessions(g.user)],
        "end_session_form": BaseForm(),
    }
