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
                               "--parameter", "lead", "--parameter", "cadmium",
                               "--category", "milled_grain", "--category", "edible_grains"])
    assert done.exit_code == 0, done.output
    lab = db.session.scalars(select(Laboratory)).one()
    assert (lab.name, lab.parameters, lab.categories) == (
        "Astana grain laboratory", ["cadmium", "lead"], ["edible_grains", "milled_grain"])
    refused = runner.invoke(args=["create-laboratory", "--name", " ",
                                  "--accredited-until", "2028-06-30", "--parameter", "lead",
                                  "--category", "meat"])
    assert refused.exit_code == 1 and "name: This field is required." in refused.output


def test_create_laboratory_names_a_scope_it_does_not_know(runner, ctx):
    """A mistyped parameter or product group matched no test and no sample, silently."""
    from certtrack.models import Laboratory

    refused = runner.invoke(args=["create-laboratory", "--name", "Semey laboratory",
                                  "--accredited-until", "2028-06-30", "--parameter", "Lead",
                                  "--parameter", "cadmium", "--category", "beef"])
    assert refused.exit_code == 1
    assert "parameters: Unknown: Lead. Known: " in refused.output
    assert "categories: Unknown: beef. Known: bee_products, dairy, dried_beans," in refused.output
    missing = runner.invoke(args=["create-laboratory", "--name", "Semey laboratory",
                                  "--accredited-until", "2028-06-30", "--parameter", "lead"])
    assert missing.exit_code == 2 and "--category" in missing.output
    assert db.session.scalar(select(Laboratory.id)) is None


def test_create_user_makes_an_account_in_the_language_given(runner, ctx):
    """The first administrator comes from create-user; its e-mails are in --language."""
    from certtrack.models import User

    def create(email, *extra):
        return runner.invoke(args=["create-user", "--email", email, "--name", "Aliya Serikova",
                                   "--password", "Saryarka-steppe-2026", *extra])

    done = create("aliya@minagri.gov.kz", "--language", "kk")
    assert done.exit_code == 0, done.output
    assert "Created admin aliya@minagri.gov.kz." in done.output
    assert create("bolat@minagri.gov.kz").exit_code == 0
    assert dict(db.session.execute(select(User.email, User.locale)).all()) == {
        "aliya@minagri.gov.kz": "kk", "bolat@minagri.gov.kz": None}
    unknown = create("chen@minagri.gov.kz", "--language", "de")
    assert unknown.exit_code == 2 and "'de' is not one of" in unknown.output
    assert db.session.scalar(select(User).where(User.email == "chen@minagri.gov.kz")) is None
