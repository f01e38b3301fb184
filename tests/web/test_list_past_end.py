"""A page number past the end of a list that has rows (an old link, rows that moved on) says
so and links the last page, keeping the filters; an empty list keeps its own empty state."""

import re
from datetime import timedelta
from html import unescape
from pathlib import Path

import pytest

from certtrack.services.applications import local_today

from factories import make_registration, make_user
from forms import login

pytestmark = pytest.mark.engine  # run on PostgreSQL too (conftest.py)

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def test_a_page_past_the_end_of_the_registrations_links_the_last_one(ctx, client):
    registrar = make_user("registrar")
    make_registration(registrar, local_today() - timedelta(days=30))
    login(client, registrar.email)
    response = client.get("/registrar/registrations?status=active&page=7")
    page = unescape(response.get_data(as_text=True))
    assert response.status_code == 200
    assert "There is no page 7: this list has 1 page." in page
    assert "No registration in this view." not in page
    (link,) = re.findall(r'href="([^"]*)">Go to the last page', page)
    assert link == "/registrar/registrations?status=active&page=1"
    assert "No registration in this view." in client.get(
        "/registrar/registrations?status=revoked&page=7").get_data(as_text=True)


def test_a_page_past_the_end_of_an_empty_list_is_the_empty_state(ctx, client):
    login(client, make_user("exporter").email)
    page = client.get("/exporter/consignments/?page=4").get_data(as_text=True)
    assert "No consignment in this view." in page and "There is no page" not in page


def test_every_paged_list_says_when_a_page_lies_past_its_end():
    paged = sorted(path.relative_to(TEMPLATES).as_posix() for path in TEMPLATES.rglob("*.html")
                   if "pager(" in path.read_text() and path.parent.name != "_macros")
    assert len(paged) == 13
    assert [name for name in paged if "no_rows(" not in (TEMPLATES / name).read_text()] == []
