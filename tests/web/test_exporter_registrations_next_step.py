"""An exporter with no China registration yet is told how one begins, with the step to take:
the page said only that registrations appear once GACC lists an establishment, and a new
exporter coming from "New consignment" found no way on."""

from factories import make_submitted_application, make_user
from forms import login


def _next_step(client) -> str:
    page = client.get("/exporter/registrations").get_data(as_text=True)
    return page.split('id="next-step">')[1].split("</p>")[0]


def test_an_exporter_with_no_enterprise_is_sent_to_register_it(ctx, client):
    login(client, make_user("exporter").email)
    step = _next_step(client)
    assert "A registration begins with an application for China export certification" in step
    assert 'href="/exporter/enterprise/new">Register your enterprise<' in step


def test_an_exporter_with_an_enterprise_is_sent_to_apply(ctx, client):
    exporter, _application = make_submitted_application(submit=False)
    login(client, exporter.email)
    assert 'href="/exporter/applications/new">New application<' in _next_step(client)
