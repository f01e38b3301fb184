"""The exporter's journey through the API: a draft, a document, submit, the state polled."""

import io

import pytest
from flask import g
from flask_babel import force_locale, gettext
from sqlalchemy import select

from certtrack.extensions import db
from certtrack.models import Application, AuditEvent
from certtrack.services import applications

from api_world import bearer, token_for
from factories import PDF_BYTES, QUESTIONNAIRE, make_exporter_with_application, make_user


@pytest.fixture
def exporter(ctx):
    user, _enterprise, establishment, application = make_exporter_with_application()
    return user, establishment, application, token_for(user)


def _new_draft(client, secret, establishment, **headers):
    body = {**{k: v for k, v in QUESTIONNAIRE.items() if v is not None},
            "establishment_id": establishment.id}
    return client.post("/api/v1/applications", json=body, headers={**bearer(secret), **headers})


def test_exporter_creates_fills_and_submits_a_draft(client, exporter):
    _user, establishment, _application, secret = exporter
    created = _new_draft(client, secret, establishment)
    assert created.status_code == 201, created.get_json()
    draft = created.get_json()
    assert draft["state"] == "draft" and "submit" in draft["allowed_actions"]
    assert created.headers["Location"].endswith(f"/api/v1/applications/{draft['id']}")
    url = f"/api/v1/applications/{draft['id']}"
    added = client.post(url + "/products", headers=bearer(secret), json={
        "product_code": "wheat", "annual_volume": "1000", "volume_unit": "t"})
    assert added.status_code == 201, added.get_json()
    assert "Location" not in added.headers  # a product is no resource: its document lists none
    required = applications.required_document_types(db.session.get(Application, draft["id"]))
    for code in [document_type.code for document_type in required]:
        uploaded = client.post(url + "/documents", headers=bearer(secret),
                               content_type="multipart/form-data", data={
                                   "document_type": code,
                                   "file": (io.BytesIO(PDF_BYTES), f"{code}.pdf")})
        assert uploaded.status_code == 201, uploaded.get_json()
        assert uploaded.get_json()["content_type"] == "application/pdf"
    etag = client.get(url, headers=bearer(secret)).headers["ETag"]
    submitted = client.post(url + "/submit", headers={**bearer(secret), "If-Match": etag})
    assert submitted.status_code == 200, submitted.get_json()
    assert submitted.get_json()["application"]["state"] == "submitted"
    assert client.get(url, headers=bearer(secret)).get_json()["state"] == "submitted"


def test_a_stale_if_match_gets_412_and_changes_nothing(client, exporter):
    _user, _establishment, application, secret = exporter
    url = f"/api/v1/applications/{application.id}"
    etag = client.get(url, headers=bearer(secret)).headers["ETag"]
    stale = etag.replace(f"v{application.version}", f"v{application.version - 1 or 99}")
    answer = client.post(url + "/withdraw", headers={**bearer(secret), "If-Match": stale},
                         json={"comment": "changed our mind"})
    assert answer.status_code == 412
    assert answer.content_type == "application/problem+json"
    assert answer.headers["ETag"] == etag
    assert client.get(url, headers=bearer(secret)).get_json()["state"] == "draft"


def test_the_etag_changes_when_a_product_is_added(client, exporter):
    """Adding a product left the ETag as it was, so an If-Match read before it still passed
    (a submit of products the client had not seen)."""
    _user, _establishment, application, secret = exporter
    url = f"/api/v1/applications/{application.id}"
    before = client.get(url, headers=bearer(secret))
    added = client.post(url + "/products", headers={**bearer(secret),
                                                    "If-Match": before.headers["ETag"]},
                        json={"product_code": "barley", "annual_volume": "50",
                              "volume_unit": "t"})
    assert added.status_code == 201, added.get_json()
    assert len(added.get_json()["products"]) == len(before.get_json()["products"]) + 1
    assert added.headers["ETag"] != before.headers["ETag"]
    assert client.get(url, headers=bearer(secret)).headers["ETag"] == added.headers["ETag"]
    refused = client.post(url + "/withdraw", json={"comment": "Season cancelled"},
                          headers={**bearer(secret), "If-Match": before.headers["ETag"]})
    assert refused.status_code == 412
    assert refused.headers["ETag"] == added.headers["ETag"]
    assert client.get(url, headers=bearer(secret)).get_json()["state"] == "draft"


@pytest.mark.parametrize(("field", "value"), [("staff_count", 85.5), ("establishment_id", 1.5),
                                              ("staff_count", "85")])
def test_a_draft_takes_whole_numbers_only(client, exporter, field, value):
    """"staff_count": 85.5 was stored as 85."""
    _user, establishment, _application, secret = exporter
    before = db.session.scalar(select(db.func.count()).select_from(Application))
    body = {**{k: v for k, v in QUESTIONNAIRE.items() if v is not None},
            "establishment_id": establishment.id, field: value}
    answer = client.post("/api/v1/applications", json=body, headers=bearer(secret))
    assert answer.status_code == 422
    assert answer.get_json()["errors"] == {field: ["Enter a whole number."]}
    assert db.session.scalar(select(db.func.count()).select_from(Application)) == before


def test_an_incomplete_draft_is_refused_with_the_pages_message_in_russian(client, ctx):
    user, _enterprise, _establishment, application = make_exporter_with_application(
        complete=False)
    secret = token_for(user)
    answer = client.post(f"/api/v1/applications/{application.id}/submit",
                         headers={**bearer(secret), "Accept-Language": "ru"})
    assert answer.status_code == 422
    problem = answer.get_json()
    assert answer.content_type == "application/problem+json"
    assert problem["status"] == 422
    with force_locale("ru"):
        expected = gettext("The application is not complete yet.")
    assert expected != "The application is not complete yet."
    assert problem["detail"] == expected


def test_the_audit_row_names_the_token(client, exporter):
    _user, establishment, _application, secret = exporter
    created = _new_draft(client, secret, establishment)
    event = db.session.scalar(select(AuditEvent).where(
        AuditEvent.action == "application_created",
        AuditEvent.object_id == created.get_json()["id"]))
    assert event.data["via"]["token_name"] == f"{exporter[0].email} system"
    assert isinstance(event.data["via"]["token_id"], int)
    # and the administrators' audit trail says so (it showed the person only)
    from forms import login

    login(client, make_user("admin").email)
    trail = client.get("/admin/audit").get_data(as_text=True)
    assert f"through the API, token “{exporter[0].email} system”" in trail


def test_a_read_token_cannot_write(client, exporter):
    user, establishment, application, secret = exporter
    reader = token_for(user, scopes=("read",))
    url = f"/api/v1/applications/{application.id}"
    assert client.get(url, headers=bearer(secret)).get_json()["allowed_actions"]
    # a token that may not act is offered no action (it read "withdraw", then got 403)
    assert client.get(url, headers=bearer(reader)).get_json()["allowed_actions"] == []
    before = db.session.scalar(select(db.func.count()).select_from(Application))
    assert _new_draft(client, reader, establishment).status_code == 403
    assert db.session.scalar(select(db.func.count()).select_from(Application)) == before


@pytest.mark.parametrize("volume", ["0", "0.0000001"])
def test_a_product_line_needs_a_volume_above_zero_as_on_the_page(client, exporter, volume):
    """The API stored "0.000" t where the page refuses it."""
    _user, _establishment, application, secret = exporter
    before = len(application.products)
    refused = client.post(f"/api/v1/applications/{application.id}/products",
                          headers=bearer(secret), json={
                              "product_code": "barley", "annual_volume": volume,
                              "volume_unit": "t"})
    assert refused.status_code == 422
    assert refused.get_json()["errors"]["annual_volume"] == ["Enter a volume greater than zero."]
    db.session.expire_all()
    assert len(db.session.get(Application, application.id).products) == before


def test_a_session_cookie_is_not_a_credential_of_the_api(client, exporter):
    from forms import login

    user, _establishment, application, _secret = exporter
    login(client, user.email)
    assert client.get(f"/api/v1/applications/{application.id}").status_code == 401


def test_withdrawing_needs_a_reason_as_on_the_page(client, exporter):
    """The API withdrew for good on an empty body; the page asks for a reason."""
    _user, _establishment, application, secret = exporter
    url = f"/api/v1/applications/{application.id}/withdraw"
    for body in ({}, {"comment": "   "}):
        refused = client.post(url, headers=bearer(secret), json=body)
        assert refused.status_code == 422, body
        assert refused.content_type == "application/problem+json"
        assert "comment" in refused.get_json()["errors"]
    assert client.get(f"/api/v1/applications/{application.id}",
                      headers=bearer(secret)).get_json()["state"] == "draft"
    done = client.post(url, headers=bearer(secret), json={"comment": "Season cancelled"})
    assert done.status_code == 200 and done.get_json()["state"] == "withdrawn"


def test_a_withdrawn_application_says_why(client, exporter):
    """The reason of a withdrawal was on the page's history only: the API said "withdrawn"."""
    _user, _establishment, application, secret = exporter
    url = f"/api/v1/applications/{application.id}"
    assert client.get(url, headers=bearer(secret)).get_json()["withdrawal_reason"] is None
    done = client.post(url + "/withdraw", headers=bearer(secret),
                       json={"comment": "  Season cancelled by the buyer "})
    assert done.get_json()["withdrawal_reason"] == "Season cancelled by the buyer"
    assert client.get(url, headers=bearer(secret)).get_json()["withdrawal_reason"] == \
        "Season cancelled by the buyer"
    listed = client.get("/api/v1/applications?state=withdrawn", headers=bearer(secret))
    assert [(row["id"], row["withdrawal_reason"]) for row in listed.get_json()["items"]] == [
        (application.id, "Season cancelled by the buyer")]
    document = client.get("/api/v1/openapi.json").get_json()
    field = document["components"]["schemas"]["Application"]["properties"]["withdrawal_reason"]
    assert field["readOnly"] is True and "withdrew" in field["description"]


def test_bodies_and_filters_the_api_cannot_read_are_told_plainly(client, exporter):
    """Invalid JSON read "The form had expired…", a form-encoded body "Missing data" for the
    fields it sent, an unknown state filter listed nothing, and a step the state does not
    allow read "Changed by someone else"."""
    _user, _establishment, application, secret = exporter
    url = f"/api/v1/applications/{application.id}/withdraw"
    broken = client.post(url, headers={**bearer(secret), "Content-Type": "application/json"},
                         data="{bad json")
    assert broken.status_code == 400
    assert "expired" not in broken.get_json()["detail"]
    assert broken.get_json()["detail"] == broken.get_json()["errors"]["json"][0]
    form = client.post(url, headers=bearer(secret), data={"comment": "Season cancelled"})
    assert form.status_code == 415 and form.content_type == "application/problem+json"
    assert "application/json" in form.get_json()["detail"]
    unknown = client.get("/api/v1/applications?state=xyz", headers=bearer(secret))
    assert unknown.status_code == 422 and "state" in unknown.get_json()["errors"]
    assert client.post(url, headers=bearer(secret),
                       json={"comment": "Season cancelled"}).status_code == 200
    again = client.post(url, headers=bearer(secret), json={"comment": "Once more"})
    assert again.status_code == 409
    problem = again.get_json()
    assert problem["title"] == "Not possible in this state"
    assert "(withdrawn)" in problem["detail"] and "someone else" not in problem["detail"]


def test_a_withdrawn_application_takes_no_product_nor_document_409_with_its_state(
        client, exporter):
    """A product or a document sent to a withdrawn application answered 403, which speaks of
    who the caller is: the application's state refuses them (409, as for a step)."""
    _user, _establishment, application, secret = exporter
    url = f"/api/v1/applications/{application.id}"
    assert client.post(url + "/withdraw", headers=bearer(secret),
                       json={"comment": "Season cancelled"}).status_code == 200
    product = client.post(url + "/products", headers=bearer(secret), json={
        "product_code": "barley", "annual_volume": "50", "volume_unit": "t"})
    document = client.post(url + "/documents", headers=bearer(secret),
                           content_type="multipart/form-data",
                           data={"document_type": "haccp",
                                 "file": (io.BytesIO(PDF_BYTES), "haccp.pdf")})
    for refused in (product, document):
        assert refused.status_code == 409, refused.get_json()
        problem = refused.get_json()
        assert problem["title"] == "Not possible in this state"
        assert "(withdrawn)" in problem["detail"]
    assert [line["product_code"] for line in client.get(
        url, headers=bearer(secret)).get_json()["products"]] == ["wheat"]


def test_a_document_sent_as_json_and_a_draft_as_multipart_are_415(client, exporter):
    """A JSON body sent to the upload answered 422 "missing data" for document_type and file,
    and a multipart body sent to a JSON operation the same: each reads one kind of body."""
    _user, establishment, application, secret = exporter
    url = f"/api/v1/applications/{application.id}"
    before = len(db.session.get(Application, application.id).documents)
    as_json = client.post(url + "/documents", headers=bearer(secret),
                          json={"document_type": "haccp", "file": "JVBERi0xLjQK"})
    assert as_json.status_code == 415 and as_json.content_type == "application/problem+json"
    assert "multipart/form-data" in as_json.get_json()["detail"]
    as_form = client.post("/api/v1/applications", headers=bearer(secret),
                          content_type="multipart/form-data",
                          data={"establishment_id": str(establishment.id),
                                "gacc_category_code": "edible_grains"})
    assert as_form.status_code == 415
    assert "application/json" in as_form.get_json()["detail"]
    db.session.expire_all()
    assert len(db.session.get(Application, application.id).documents) == before


def test_a_missing_field_is_told_in_the_readers_language(client, exporter):
    """With Accept-Language: kk the title was Kazakh and the field's message English
    ("Missing data for required field."); a 404 said "Page not found"."""
    _user, _establishment, application, secret = exporter
    g.pop("_flask_babel", None)  # the test's app context keeps the last request's language
    answer = client.post(f"/api/v1/applications/{application.id}/withdraw",
                         headers={**bearer(secret), "Accept-Language": "kk"}, json={})
    assert answer.status_code == 422
    problem = answer.get_json()
    assert problem["errors"]["comment"] == ["Міндетті өріс."]
    g.pop("_flask_babel", None)
    english = client.post(f"/api/v1/applications/{application.id}/withdraw",
                          headers=bearer(secret), json={})
    assert english.get_json()["title"] == "The request has errors"
    assert english.get_json()["errors"]["comment"] == ["This field is required."]
    g.pop("_flask_babel", None)
    missing = client.get("/api/v1/applications/999999", headers=bearer(secret))
    assert missing.status_code == 404 and missing.get_json()["title"] == "Not found"


def test_range_choice_and_cursor_messages_are_in_the_readers_language(client, exporter):
    """"Must be greater than or equal to 1 and less than or equal to 100.", "Must be one of:
    draft, …" and "Not a cursor of this API." stayed English under ru, kk and zh."""
    _user, _establishment, _application, secret = exporter
    russian = {**bearer(secret), "Accept-Language": "ru"}
    g.pop("_flask_babel", None)
    limit = client.get("/api/v1/applications?limit=500", headers=russian).get_json()
    assert limit["errors"]["limit"] == ["Введите значение от 1 до 100."]
    assert limit["detail"] == "В запросе есть ошибки: см. сообщение у каждого поля."
    g.pop("_flask_babel", None)
    state = client.get("/api/v1/applications?state=xyz", headers=russian).get_json()
    assert state["errors"]["state"][0].startswith("Выберите одно из: draft, submitted")
    g.pop("_flask_babel", None)
    cursor = client.get("/api/v1/applications?cursor=%%%", headers=russian).get_json()
    assert "next_cursor" in cursor["errors"]["cursor"][0]
    assert "Not a cursor" not in cursor["errors"]["cursor"][0]


@pytest.mark.parametrize(("language", "body_message", "key_message"), [
    ("ru", "Отправьте объект JSON.", "Введите не более 255 символов."),
    ("kk", "JSON объектісін жіберіңіз.", "Ең көбі 255 таңба енгізіңіз."),
    ("zh", "请发送 JSON 对象。", "最多输入 255 个字符。"),
])
def test_a_body_that_is_no_object_and_a_long_key_are_said_in_the_readers_language(
        client, exporter, language, body_message, key_message):
    """"Invalid input type." (a JSON array, string or null body) and the Idempotency-Key's "At
    most 255 characters." stayed English, and the key's 400 spoke of an expired form."""
    _user, _establishment, _application, secret = exporter
    headers = {**bearer(secret), "Accept-Language": language}
    for body in ("[1, 2]", '"text"', "null"):
        g.pop("_flask_babel", None)
        answer = client.post("/api/v1/applications", headers=headers, data=body,
                             content_type="application/json")
        assert answer.status_code == 422
        assert answer.get_json()["errors"]["_schema"] == [body_message]
    g.pop("_flask_babel", None)
    answer = client.post("/api/v1/applications", json={},
                         headers={**headers, "Idempotency-Key": "k" * 256})
    problem = answer.get_json()
    assert answer.status_code == 400 and problem["errors"]["Idempotency-Key"] == [key_message]
    assert "Idempotency-Key" in problem["detail"] and "255" in problem["detail"]
    with force_locale(language):
        expired = gettext("The form had expired or was sent from elsewhere. Go back, reload "
                          "the page and try again.")
    assert problem["detail"] != expired
