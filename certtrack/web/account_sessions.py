"""What the account page shows of the user's security: the second factor and active sessions."""

import re

from flask import g, session
from flask_babel import gettext as _

from certtrack.services import sessions, two_factor
from certtrack.web.forms import BaseForm


def security_context() -> dict:
    """The account page's two-step sign-in status and the list of active sessions."""
    token = session.get("sid")
    return {
        "has_totp": g.user.has_totp,
        "totp_required": two_factor.required(g.user),
        "active_sessions": [(record, sessions.is_current(record, token),
                             device_name(record.user_agent))
                            for record in sessions.active_sessions(g.user)],
        "end_session_form": BaseForm(),
    }


# The browser and the system a User-Agent names, the first match of each list winning (Edge
# and Opera say "Chrome" too, Chrome says "Safari", Android says "Linux").
_BROWSERS = (("Edg/", "Edge"), ("OPR/", "Opera"), ("YaBrowser/", "Yandex Browser"),
             ("Firefox/", "Firefox"), ("Chrome/", "Chrome"), ("Chromium/", "Chromium"),
             ("Safari/", "Safari"))
_SYSTEMS = ((r"iPhone|iPad", "iOS"), (r"Android", "Android"), (r"Windows", "Windows"),
            (r"Mac OS X|Macintosh", "macOS"), (r"CrOS", "ChromeOS"), (r"Linux", "Linux"))


def device_name(user_agent: str | None) -> str:
    """"Chrome on Windows" for a session's User-Agent; the text itself when neither is known."""
    text = user_agent or ""
    browser = next((name for mark, name in _BROWSERS if mark in text), None)
    system = next((name for pattern, name in _SYSTEMS if re.search(pattern, text)), None)
    if browser and system:
        return _("%(browser)s on %(system)s", browser=browser, system=system)
    return browser or system or text or "—"
