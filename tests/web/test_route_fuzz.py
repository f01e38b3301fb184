"""Every route of the pages, driven by hypothesis with hostile values, never answers 5xx
(docs/security.md item 12).

The routes come from `app.url_map` (the API has its own schemathesis run); the form fields are
every `name=` of every page the demo data shows, so a new form is fuzzed without a line here.
The client signs in as each role of the demo (and stays anonymous); ids are taken from the
demo's rows and from the edges of the id range; values are hostile strings: huge and special
numbers, dates out of range, NUL and control characters, markup, very long text.
Examples are bounded (FUZZ_EXAMPLES) so that the run stays under a minute and a half in CI.
"""

import re
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from certtrack import create_app
from certtrack.demo.seed import DEMO_PASSWORD, seed_demo
from certtrack.extensions import db
from certtrack.services.reference import load_reference

from forms import CSRF_RE, totp_code

FUZZ_EXAMPLES = 250
ROLES = (None, "admin@demo.certtrack.kz", "registrar@demo.certtrack.kz",
         "phyto@demo.certtrack.kz", "vet@demo.certtrack.kz", "exporter@demo.certtrack.kz")
# Routes that end the client's session or change its password are left out: the fuzz would
# sign itself out and test the sign-in page only.
SKIPPED = {"static", "auth.logout", "auth.change_password", "auth.login"}
QUERY_NAMES = ("page", "q", "state", "sort", "next", "category", "region", "overdue", "role",
               "product", "kind", "number", "bin", "lang", "date_from", "date_to")
HOSTILE = (
    "9223372036854775808", "-9223372036854775809", str(2**31), "-1", "0", "1e999999", "sNaN",
    "NaN", "-Infinity", "Infinity", "0x10", "１２", "²", "١٢٣", "99999999999999999999999",
    "9999-12-31", "0001-01-01", "2024-02-30",
    "1990-12-31", "\x00", "a\x00b", "/\nSet-Cookie: a=b", "\r\n", "\t", "<script>x</script>",
    "'; DROP TABLE user; --", "{{7*7}}", "../../etc/passwd", "//evil.example", "\\\\evil",
    "javascript:alert(1)", "y", "on", "", " ", "x" * 5000, "\U0001f600", "\ufeff",
)
hostile = st.one_of(st.sampled_from(HOSTILE),
                    st.text(st.characters(exclude_categories=("Cs",)), max_size=40),
                    st.integers().map(str), st.dates().map(date.isoformat))


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """The demo on an SQLite file, a signed-in client per role with its CSRF token, the
    routes and every form field name the pages show."""
    folder = tmp_path_factory.mktemp("fuzz")
    app = create_app({"TESTING": True, "SECRET_KEY": "fuzz", "UPLOAD_FOLDER": str(folder / "up"),
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'fuzz.sqlite3'}",
                      "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"})
    with app.app_context():
        db.create_all()
        load_reference()
        seed_demo()
    clients = {role: _client(app, role) for role in ROLES}
    rules = sorted((rule for rule in app.url_map.iter_rules()
                    if rule.endpoint not in SKIPPED and not rule.rule.startswith("/api/")),
                   key=lambda rule: rule.rule)
    fields = _field_names(clients, rules)
    yield app, clients, rules, fields
    with app.app_context():
        db.engine.dispose()


def _client(app, email):
    """A client signed in as `email` (anonymous for None) and a CSRF token of its session as
    it is after sign-in, which renews the session: the token read before it was refused, so
    no signed-in POST reached its handler."""
    client = app.test_client()
    token = CSRF_RE.search(client.get("/login").get_data(as_text=True)).group(1)
    if email is not None:
        response = client.post("/login", data={"email": email, "password": DEMO_PASSWORD,
                                               "code": totp_code(app, email),
                                               "csrf_token": token})
        assert response.status_code == 302
        token = CSRF_RE.search(client.get("/notifications").get_data(as_text=True)).group(1)
        taken = client.post("/notifications/read", data={"csrf_token": token})
        assert taken.status_code == 302  # the token is the session's: forms are reached
    return client, token


def _url(rule, ids) -> str:
    url = rule.rule
    for index, match in enumerate(re.findall(r"<id:\w+>", url)):
        url = url.replace(match, str(ids[index % len(ids)]), 1)
    return re.sub(r"<any\(([\w]+)[^>]*>", r"\1", re.sub(r"<(?:string:)?\w+>", "x", url))


def _field_names(clients, rules) -> list[str]:
    names = set(QUERY_NAMES)
    for client, _token in clients.values():
        for rule in rules:
            if "GET" in rule.methods and "pdf" not in rule.rule and "json" not in rule.rule:
                page = client.get(_url(rule, (1, 2)))
                page.close()
                if page.mimetype == "text/html":
                    names.update(re.findall(r'name="([\w\-]+)"', page.get_data(as_text=True)))
    names.discard("csrf_token")
    return sorted(names)


@settings(max_examples=FUZZ_EXAMPLES, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_no_route_answers_a_server_error_to_hostile_input(world, data):
    app, clients, rules, fields = world
    role = data.draw(st.sampled_from(ROLES), label="role")
    rule = data.draw(st.sampled_from(rules), label="rule")
    ids = data.draw(st.lists(st.sampled_from([1, 2, 3, 5, 8, 2**31 - 1]), min_size=1,
                             max_size=3), label="ids")
    method = data.draw(st.sampled_from(sorted(rule.methods - {"HEAD", "OPTIONS"})),
                       label="method")
    values = data.draw(st.dictionaries(st.sampled_from(fields), hostile, max_size=8),
                       label="values")
    client, token = clients[role]
    url = _url(rule, ids)
    if method == "GET":
        response = client.get(url, query_string=values)
    else:
        response = client.open(url, method=method, data={**values, "csrf_token": token})
    response.close()
    assert response.status_code < 500, (role, method, url, values)
