"""The account's list of sessions names each one's browser and system ("Chrome on Windows"),
not the raw User-Agent text ("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36…")."""

import pytest

from certtrack.web.account_sessions import device_name

from factories import make_user
from forms import login

WINDOWS_CHROME = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like "
                  "Gecko) Chrome/131.0.0.0 Safari/537.36")


@pytest.mark.parametrize(("agent", "name"), [
    (WINDOWS_CHROME, "Chrome on Windows"),
    ("Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
     "Firefox on Linux"),
    ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, "
     "like Gecko) Version/17.5 Mobile/15E148 Safari/604.1", "Safari on iOS"),
    ("Mozilla/5.0 (Linux; Android 14; SM-A546E) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Chrome/131.0.0.0 Mobile Safari/537.36", "Chrome on Android"),
    ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0", "Edge on Windows"),
    ("curl/8.5.0", "curl/8.5.0"), ("", "—"),
])
def test_a_user_agent_reads_as_its_browser_and_system(app, agent, name):
    with app.test_request_context("/"):
        assert device_name(agent) == name


def test_the_account_page_lists_sessions_by_browser_and_system(ctx, client):
    user = make_user("exporter")
    client.environ_base["HTTP_USER_AGENT"] = WINDOWS_CHROME
    login(client, user.email)
    page = client.get("/account").get_data(as_text=True)
    assert f'<span title="{WINDOWS_CHROME}">Chrome on Windows</span>' in page
