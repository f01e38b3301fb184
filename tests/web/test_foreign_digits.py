"""Digits that are not ASCII ("²", "١٢٣") and numbers past any id: Python's str.isdigit()
takes them, int() does not (or the database does not), and each answered 500. And a search's
% and _ are what the person typed, not wildcards."""

from sqlalchemy import select

from certtrack.extensions import db
from certtrack.models import Application, LoginAttempt

from consignment_factories import make_consignment
from factories import make_submitted_application, make_user, move_to_state
from forms import PASSWORD, login, post

INVALID = "Invalid e-mail, password or authentication code."


def test_a_code_of_foreign_digits_is_a_wrong_code_and_counts_as_a_failure(ctx, client):
    """A staff e-mail, a wrong password and "²²²²²²" answered 500 where an exporter's answered
    422: anyone could tell staff accounts apart, uncounted by the throttle."""
    staff = make_user("registrar")
    for code in ("²²²²²²", "١٢٣٤٥٦"):
        for password in ("wrong password here", PASSWORD):
            refused = post(client, "/login", {"email": staff.email, "password": password,
                                              "code": code})
            assert refused.status_code == 422
            assert INVALID in refused.get_data(as_text=True)
    assert client.get("/account").status_code == 302  # not signed in
    assert db.session.query(LoginAttempt).count() >= 4


def test_the_registrar_s_forms_refuse_ids_that_are_not_ids(ctx, client):
    registrar = make_user("registrar")
    _exporter, application = make_submitted_application()
    move_to_state(application, "conclusion_positive")
    login(client, registrar.email)
    own_page = f"/registrar/applications/{application.id}"
    for value in ("²", "99999999999999999999999", "9223372036854775808", "0"):
        for url in ("/registrar/recommend", "/registrar/batches"):
            answer = post(client, url, {"application_id": value, "confirm": "y",
                                        "next": own_page, "reference": "MSH-1",
                                        "submitted_on": "2026-01-05"}, csrf_url="/registrar/")
            assert answer.status_code in (302, 422), (url, value, answer.status_code)
    assert db.session.scalar(select(Application.state).where(
        Application.id == application.id)) == "conclusion_positive"


def test_the_consignment_queue_search_takes_any_digits_and_no_wildcards(ctx, client):
    _exporter, inspector, _registration, consignment = make_consignment()
    login(client, inspector.email)
    for typed in ("²", "CS-²", "٣", "CS-0000²", "%", "_"):
        answer = client.get("/inspector/consignments/", query_string={"q": typed})
        assert answer.status_code == 200, typed
        assert consignment.reference not in answer.get_data(as_text=True), typed
    found = client.get("/inspector/consignments/", query_string={"q": consignment.reference})
    assert consignment.reference in found.get_data(as_text=True)


def test_the_administrator_s_user_search_takes_percent_as_typed(ctx, client):
    admin = make_user("admin")
    make_user("exporter", "anna@example.kz")
    login(client, admin.email)
    every = client.get("/admin/users", query_string={"q": "%"}).get_data(as_text=True)
    assert "anna@example.kz" not in every
    assert "anna@example.kz" in client.get("/admin/users", query_string={
        "q": "anna"}).get_data(as_text=True)
