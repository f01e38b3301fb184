"""The administrators' audit trail page: every recorded action, newest first, filtered by action,
person, application and days, paged with its filters kept; bad filters are told, not guessed."""

import csv
import html
import io
import re

import pytest
from flask import g
from sqlalchemy import event, func, select

from certtrack.extensions import db
from certtrack.models import AuditEvent
from certtrack.services.applications import local_today
from certtrack.services.audit import record_event

from factories import make_registration, make_submitted_application, make_user
from forms import login, post


@pytest.fixture
def admin(ctx, client):
    user = make_user("admin", "root@example.kz", full_name="Root Admin")
    login(client, user.email)
    return user


def _page(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def _seqs(page: str) -> list[int]:
    return [int(n) for n in re.findall(r'<td data-label="No.">(\d+)</td>', page)]


def _record(actor, count: int, action: str = "establishment_added") -> None:
    for n in range(count):
        record_event(actor, action, object_type="establishment", object_id=n + 1,
                     comment=f"note {n}")
    db.session.commit()


def test_the_trail_lists_every_action_newest_first_with_who_and_what(admin, client):
    exporter, application = make_submitted_application(name="Steppe Grain LLP")
    total = db.session.scalar(select(func.count()).select_from(AuditEvent))
    page = _page(client.get("/admin/audit"))
    assert "<h1>Audit trail</h1>" in page
    assert f"{total} events in the chain." in page
    assert "Its head has not been signed yet: the daily run signs it." in page
    seqs = _seqs(page)
    assert seqs == sorted(seqs, reverse=True) and len(seqs) == min(total, 20)
    rows = page.split("<tbody>")[1].split("</tr>")
    (submitted,) = [row for row in rows if "Submit application" in row]
    assert exporter.full_name in submitted and exporter.email in submitted
    assert f'Application <span class="ref">{application.reference}</span>' in submitted
    oldest = _page(client.get("/admin/audit?order=oldest"))
    assert _seqs(oldest)[0] == 1
    assert 'href="/admin/audit"' in _page(client.get("/admin/users"))  # in the menu


def test_filters_combine_and_the_pages_keep_them(admin, client):
    inspector = make_user("inspector", "aigerim@example.kz", full_name="Aigerim Nurlanovna")
    _record(inspector, 25)
    _record(admin, 3)
    _record(inspector, 2, action="document_accepted")
    page = _page(client.get("/admin/audit?action=establishment_added&actor=AIGERIM"))
    assert len(_seqs(page)) == 20 and "Root Admin" not in page.split("<tbody>")[1]
    assert "25 in all" in page
    assert ('href="/admin/audit?action=establishment_added&amp;actor=AIGERIM&amp;page=2"'
            in page.replace("&", "&amp;").replace("&amp;amp;", "&amp;"))
    second = _page(client.get("/admin/audit?action=establishment_added&actor=AIGERIM&page=2"))
    assert len(_seqs(second)) == 5 and "Document accepted" not in second.split("<tbody>")[1]
    assert not set(_seqs(page)) & set(_seqs(second))
    by_person = _page(client.get("/admin/audit?actor=root@example"))
    own = db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.actor_id == admin.id))
    assert own >= 3 and f"{own} in all" in by_person
    assert "Aigerim" not in by_person.split("<tbody>")[1]
    nothing = _page(client.get("/admin/audit?actor=nobody"))
    assert "No recorded action matches." in nothing


def test_an_application_and_days_narrow_the_trail(admin, client):
    _exporter, application = make_submitted_application(name="Steppe Grain LLP")
    _other, other = make_submitted_application(name="Other Grain LLP")
    for typed in (application.reference, application.reference.lower(), str(application.id)):
        page = _page(client.get(f"/admin/audit?application={typed}"))
        assert f'Application <span class="ref">{application.reference}</span>' in page
        assert other.reference not in page
    today = local_today().isoformat()
    assert _seqs(_page(client.get(f"/admin/audit?since={today}&until={today}")))
    assert "No recorded action matches." in _page(client.get(
        "/admin/audit?since=2020-01-01&until=2020-12-31"))


@pytest.mark.parametrize("query, field, message", [
    ("application=B-12", "application", "Type an application's reference, e.g. A-000042."),
    ("since=2026-12-10&until=2026-12-01", "until", "The last day comes on or after the first."),
    ("since=31.12.2026", "since", "Not a valid date value."),
])
def test_a_filter_that_does_not_read_is_told_beside_its_field(admin, client, query, field,
                                                               message):
    response = client.get(f"/admin/audit?{query}")
    assert response.status_code == 400
    page = _page(response)
    assert re.search(rf'id="{field}-error">{re.escape(message)}', page)
    assert "Correct the filters above to see the trail." in page and "<tbody>" not in page


def test_the_trail_reads_the_same_number_of_queries_whatever_its_length(admin, client):
    people = [make_user("inspector", f"i{n}@example.kz") for n in range(5)]
    for person in people:
        _record(person, 1)

    def queries() -> int:
        seen = []
        db.session.expire_all()
        listener = lambda *args: seen.append(args[2])  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            assert client.get("/admin/audit").status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        return len(seen)

    few = queries()
    for n in range(15):
        _record(make_user("inspector", f"more{n}@example.kz"), 1)
    assert queries() == few


def test_the_trail_reads_in_kazakh(admin, client):
    post(client, "/language", {"locale": "kk"})
    g.pop("_flask_babel", None)
    page = _page(client.get("/admin/audit"))
    assert "<h1>Аудит журналы</h1>" in page and "Барлық әрекеттер" in page


def test_the_filtered_trail_downloads_as_csv(admin, client):
    """Every page of the filtered trail in one file, for an auditor's spreadsheet."""
    inspector = make_user("inspector", "aigerim@example.kz", full_name="Aigerim Nurlanovna")
    _record(inspector, 25)
    record_event(inspector, "establishment_added", object_type="establishment", object_id=99,
                 comment="=HYPERLINK(\"http://evil\")")
    db.session.commit()
    page = _page(client.get("/admin/audit?actor=aigerim"))
    assert 'href="/admin/audit.csv?actor=aigerim"' in page
    with client.get("/admin/audit.csv?actor=aigerim&order=oldest") as response:
        assert response.status_code == 200 and response.mimetype == "text/csv"
        assert "attachment" in response.headers["Content-Disposition"]
        text = response.get_data(as_text=True)
    lines = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert lines[0][:6] == ["seq", "at_utc", "actor_email", "actor_name", "action",
                            "action_label"]
    assert len(lines) == 1 + 26  # every page, only Aigerim's
    assert {line[2] for line in lines[1:]} == {"aigerim@example.kz"}
    assert lines[1][5] == "Establishment added"
    assert [int(line[0]) for line in lines[1:]] == sorted(int(line[0]) for line in lines[1:])
    assert lines[-1][11] == "'=HYPERLINK(\"http://evil\")"  # shown as text, never run
    assert lines[0][-1] == "data"  # what the page shows beside an action (a role's change)
    refused = client.get("/admin/audit.csv?application=B-12")
    assert refused.status_code == 400


def test_the_who_filter_finds_the_system_and_reads_wildcards_as_typed(admin, client):
    """"system" found nothing though the column says "system"; "%" matched everyone."""
    record_event(None, "registration_renewed_automatically", object_type="registration",
                 object_id=1)
    _record(make_user("inspector", "aigerim@example.kz"), 2)
    db.session.commit()
    system = _page(client.get("/admin/audit?actor=system"))
    nobody = db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.actor_id.is_(None)))
    assert f"{nobody} in all" in system and "Renewed automatically" in system
    assert "No recorded action matches." in _page(client.get("/admin/audit?actor=%25"))
    assert "No recorded action matches." in _page(client.get("/admin/audit?actor=_"))


def test_a_person_named_in_cyrillic_is_found_in_any_case(admin, client):
    inspector = make_user("inspector", "aigerim@example.kz", full_name="Айгерім Нұрланқызы")
    _record(inspector, 2)
    for typed in ("айгерім", "НҰРЛАНҚЫЗЫ"):
        page = _page(client.get(f"/admin/audit?actor={typed}"))
        assert "2 in all" in page and "No recorded action matches." not in page, typed
        assert "Root Admin" not in page.split("<tbody>")[1]


def test_the_objects_are_named_as_their_own_pages_name_them(admin, client):
    """"Account 19", "Consignment 11": numbers the administrator could look up nowhere."""
    person = make_user("inspector", "aigerim@example.kz")
    record_event(admin, "consignment_submitted", object_type="consignment", object_id=11)
    db.session.commit()
    rows = _page(client.get("/admin/audit")).split("<tbody>")[1].split("</tr>")
    (created,) = [row for row in rows if f'href="/admin/users/{person.id}"' in row]
    assert f'Account <a href="/admin/users/{person.id}">aigerim@example.kz</a>' in created
    (consignment,) = [row for row in rows if "CS-000011" in row]
    assert 'Consignment <span class="ref">CS-000011</span>' in consignment


def test_a_registration_is_named_by_its_china_number(admin, client):
    """"Registration 5": the number of a row the administrator could look up nowhere."""
    _exporter, _application, registration = make_registration(
        make_user("registrar"), local_today(), number="CKAZ18PP1802010539")
    record_event(admin, "suspend", object_type="registration", object_id=registration.id,
                 data={"number": registration.china_number})
    db.session.commit()
    rows = _page(client.get("/admin/audit")).split("<tbody>")[1].split("</tr>")
    (suspended,) = [row for row in rows if "Suspend registration" in row]
    assert "Registration <code>CKAZ18PP1802010539</code>" in suspended
    assert suspended.count("CKAZ18PP1802010539") == 1
