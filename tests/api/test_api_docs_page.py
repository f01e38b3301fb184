"""The API's reference page: Swagger UI served from the app, under its CSP, with a way back to
certtrack and a note in the reader's language that the reference is in English."""

from flask import g

from certtrack.extensions import db

from factories import make_user
from forms import login, post


def test_the_reference_page_links_back_and_says_so_in_the_readers_language(client):
    assert post(client, "/language", {"locale": "zh"}).status_code == 302
    response = client.get("/api/docs/")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<header class="api-docs-bar" lang="zh">' in page
    assert '<a href="/">← 返回 certtrack</a>' in page
    assert "本参考文档为英文" in page
    assert 'data-spec="/api/v1/openapi.json"' in page
    for path in ("/api/docs/assets/swagger-ui.css", "/api/docs/assets/swagger-ui-bundle.js",
                 "/static/css/api-docs.css"):
        with client.get(path) as served:
            assert served.status_code == 200, path
    assert client.get("/api/docs/assets/..%2Fsecret").status_code == 404


def test_an_upload_is_one_multipart_body_of_the_type_and_the_file(client):
    """The document's type was an "in: form" parameter (not OpenAPI 3.1) beside a body of the
    file alone, so Swagger UI and generated clients sent no type and got 422."""
    spec = client.get("/api/v1/openapi.json").get_json()
    upload = spec["paths"]["/api/v1/applications/{application_id}/documents"]["post"]
    assert all(p["in"] in ("path", "query", "header", "cookie")
               for p in upload.get("parameters", []))
    body = upload["requestBody"]["content"]["multipart/form-data"]["schema"]
    schema = spec["components"]["schemas"][body["$ref"].rsplit("/", 1)[1]] \
        if "$ref" in body else body
    assert set(schema["required"]) == {"document_type", "file"}
    assert schema["properties"]["file"] == {"type": "string", "format": "binary"}


def test_the_reference_page_speaks_the_accounts_language(ctx, client):
    """It reads no account (the API needs no session): a Kazakh exporter who never chose a
    language in the header read it in English, from the account page's link in Kazakh."""
    exporter = make_user("exporter", "kk.exporter@example.kz")
    exporter.locale = "kk"
    db.session.commit()
    login(client, exporter.email)
    g.pop("_flask_babel", None)  # the test's application context outlives the requests
    account = client.get("/account").get_data(as_text=True)
    assert 'href="/api/docs/"' in account
    assert "API анықтамалығы</a> (ағылшын тілінде)</p>" in account  # before it opens
    g.pop("_flask_babel", None)  # the test's application context outlives the requests
    page = client.get("/api/docs/").get_data(as_text=True)
    assert '<header class="api-docs-bar" lang="kk">' in page
    assert "This reference is in English" not in page


def test_anyone_finds_the_reference_from_the_footer_and_goes_back_to_the_home_page(ctx, client):
    """Only the account page linked to it, and its way back led a visitor to the sign-in."""
    home = client.get("/").get_data(as_text=True)
    assert 'id="api-docs-link" hreflang="en">API for software</a></p>' in home  # no "(in English)"
    g.pop("_flask_babel", None)  # the test's application context outlives the requests
    home = client.get("/", headers={"Accept-Language": "kk"}).get_data(as_text=True)
    assert ('hreflang="en">Бағдарламаларға арналған API</a> (ағылшын тілінде)</p>'
            in home)  # the reference is in English: said before it opens
    g.pop("_flask_babel", None)  # the test's application context outlives the requests
    page = client.get("/api/docs/").get_data(as_text=True)
    assert '<a href="/">← Back to certtrack</a>' in page
    login(client, make_user("exporter").email)  # "/" leads a signed-in reader home
    assert client.get("/").headers["Location"] == "/exporter/"
