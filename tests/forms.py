"""Posting forms as a browser does: with the CSRF token read from a page of the session."""

import re

PASSWORD = "correct horse battery staple"
CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def csrf_token(client, url: str = "/login") -> str:
    """A CSRF token of the client's session, read from a page's form as a browser would."""
    page = client.get(url)
    match = CSRF_RE.search(page.get_data(as_text=True))
    assert match, f"no CSRF token on {url}"
    return match.group(1)


def without_csrf_tokens(page: str) -> str:
    """The page with its CSRF tokens blanked: they carry the second they were made, so two
    answers compared for sameness would otherwise differ across a second's boundary."""
    return CSRF_RE.sub('name="csrf_token" value=""', page)


def post(client, url: str, data: dict | None = None, **kwargs):
    """POST with the session's CSRF token added, like a form in the browser."""
    data = dict(data or {})
    data.setdefault("csrf_token", csrf_token(client))
    return client.post(url, data=data, **kwargs)


def login(client, email: str, password: str = PASSWORD):
    response = post(client, "/login", {"email": email, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    return response
