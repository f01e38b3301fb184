"""A link naming a state, status, region or category that does not exist (an old or mistyped
one) shows the staff's lists unfiltered by it and says so, with a 400, as the public register
does: `/registrar/?region=XX` answered "No applications found" with every list on "All"."""

import re
from datetime import timedelta

import pytest

from certtrack.services.applications import local_today

from factories import make_registration, make_submitted_application, make_user
from forms import login

pytestmark = pytest.mark.engine  # run on PostgreSQL too (conftest.py)

SAID = ("The link names a state, status, region or category that this list does not know: "
        "the list below is not filtered by it. Choose one from the lists.")


def _listed(page: str, reference: str) -> bool:
    return reference in page.split('id="unknown-filter"')[-1]


def _refused(client, url: str):
    """A registration in force, the registrar signed in, `url` read: (application,
    registration, page), the page answered 400 with the notice."""
    registrar = make_user("registrar")
    _exporter, application, registration = make_registration(
        registrar, local_today() - timedelta(days=30))
    login(client, registrar.email)
    answer = client.get(url)
    page = answer.get_data(as_text=True)
    assert answer.status_code == 400 and SAID in page
    return application, registration, page


@pytest.mark.parametrize("query", ["region=XX", "state=nonsense", "category=beef",
                                   "state=draft"])
def test_the_registrars_applications(ctx, client, query):
    application, _registration, page = _refused(client, f"/registrar/?{query}")
    assert _listed(page, application.reference)  # unfiltered by it: every application
    assert page.index('id="unknown-filter"') < page.index('id="to-recommend"')  # seen first
    fine = client.get("/registrar/?region=KZ-11")
    assert fine.status_code == 200 and SAID not in fine.get_data(as_text=True)


@pytest.mark.parametrize("query", ["status=lapsed", "region=KZ-99", "category=beef"])
def test_the_registrars_registrations(ctx, client, query):
    _application, registration, page = _refused(client, f"/registrar/registrations?{query}")
    assert _listed(page, registration.china_number)
    assert client.get("/registrar/registrations?status=active").status_code == 200


def test_the_inspectors_queue(ctx, client):
    _exporter, application = make_submitted_application()
    inspector = make_user("inspector", committee="phytosanitary", regions=["KZ-11"])
    login(client, inspector.email)
    answer = client.get("/inspector/?region=XX&state=nonsense")
    page = answer.get_data(as_text=True)
    assert answer.status_code == 400 and SAID in page
    assert _listed(page, application.reference)
    selected = re.search(r'<select[^>]*name="region"[^>]*>(.*?)</select>', page, re.S)[1]
    assert 'value="XX"' not in selected
    assert client.get("/inspector/?region=KZ-11").status_code == 200
