"""The exporter's journey through the pages, end to end in the test client."""

from sqlalchemy import select

from certtrack.extensions import db

from factories import PDF_BYTES, make_exporter_with_application, make_user
from forms import login, post


def test_exporter_submits_prepared_application(ctx, client):
    user, _e, _s, application = make_exporter_with_application()
    login(client, user.email)
    page = client.get(f"/exporter/applications/{application.id}")
    assert page.status_code == 200
    assert "Ready to submit" in page.get_data(as_text=True)
    response = post(client, f"/exporter/applications/{application.id}/submit",
                    {"confirm": "y", "version": application.version}, follow_redirects=True)
    assert response.status_code == 200
    assert "was submitted" in response.get_data(as_text=True)


def test_pages_render(ctx, client):
    make_exporter_with_application(complete=False)
    for role in ("admin", "registrar", "inspector"):
        user = make_user(role)
        login(client, user.email)
        assert client.get("/", follow_redirects=True).status_code == 200
        post(client, "/logout")
    assert PDF_BYTES


def test_create_laboratory_records_an_accredited_laboratory(runner, ctx):
    """Nothing recorded a laboratory: the accounts page offered none to link an account to."""
    from certtrack.models import Laboratory

    done = runner.invoke(args=["create-laboratory", "--name", "Astana grain laboratory",
                               "--accreditation-number", "KZ.T.02.0457",
                               "--accredited-until", "2028-06-30",
                               "--parameter", "lead", "--parameter", "cadmium"])
    assert done.exit_code == 0, done.output
    lab = db.session.scalars(select(Laboratory)).one()
    assert (lab.name, lab.parameters) == ("Astana grain laboratory", ["cadmium", "lead"])
    refused = runner.invoke(args=["create-laboratory", "--name", " ",
                                  "--accredited-until", "2028-06-30", "--parameter", "lead"])
    assert refused.exit_code == 1 and "name: This field is required." in refused.output
