"""The verification address: one canonical form on the configured public address, the short
form redirected to it, codes typed from paper found, and the production refusals at start."""

import pytest
from sqlalchemy import update

from certtrack import create_app
from certtrack.domain.verification import group_code, verification_path
from certtrack.extensions import db
from certtrack.models import Certificate
from certtrack.services.consignments import issue
from certtrack.services.notifications import verification_url

from consignment_factories import inspect_ready, make_consignment
from factories import make_certificate
from forms import post


def _status(response) -> str:
    page = response.get_data(as_text=True)
    return page.split('id="certificate-status">', 1)[1].split("<", 1)[0].strip()


def test_the_canonical_paths_are_the_ones_the_app_serves(app):
    adapter = app.url_map.bind("localhost")
    assert adapter.match(verification_path("KZ-CN-2026-000001", "ABCD" * 6))[0] == \
        "verify.certificate"
    assert adapter.match(verification_path("KZ-PC-2026-000001", "ABCD" * 6, "consignment"))[0] \
        == "consignment_verify.certificate"


def test_the_code_typed_in_lowercase_with_spaces_finds_the_certificate(client, ctx):
    certificate = make_certificate()[3]
    typed = " ".join(group_code(certificate.verification_code).lower().split("-"))
    assert " " in typed and typed != certificate.verification_code
    response = client.get("/verify", query_string={"number": certificate.number, "code": typed})
    assert response.status_code == 200 and _status(response) == "Valid"
    code = group_code(certificate.verification_code)
    grouped = client.get(f"/verify/{certificate.number}/{code}")
    assert grouped.status_code == 200 and _status(grouped) == "Valid"


def test_the_short_address_moves_for_good_to_the_canonical_one(client, ctx):
    certificate = make_certificate()[3]
    code = certificate.verification_code
    moved = client.get(f"/verify/{certificate.number}", query_string={"code": code.lower()})
    assert moved.status_code == 301
    assert moved.headers["Location"] == f"/verify/{certificate.number}/{group_code(code)}"
    assert verification_url(certificate.number, code).endswith(moved.headers["Location"])
    followed = client.get(moved.headers["Location"])
    assert followed.status_code == 200 and _status(followed) == "Valid"
    without_code = client.get(f"/verify/{certificate.number}")
    assert without_code.status_code == 200
    assert f'value="{certificate.number}"' in without_code.get_data(as_text=True)


def test_the_short_address_of_a_consignment_certificate_moves_too(client, ctx):
    _e, inspector, _registration, consignment = make_consignment("phyto")
    inspect_ready(inspector, consignment)
    certificate = issue.issue_consignment_certificate(inspector, consignment)
    moved = client.get(f"/verify/consignment/{certificate.number}",
                       query_string={"code": certificate.verification_code})
    assert moved.status_code == 301
    assert client.get(moved.headers["Location"]).status_code == 200
    # The number alone (a code that cannot be read): the form, the number filled in.
    alone = client.get(f"/verify/consignment/{certificate.number}")
    assert alone.status_code == 200
    assert f'value="{certificate.number}"' in alone.get_data(as_text=True)
    # The general addresses, with a phytosanitary number, answered "no certificate matches":
    # they lead to the consignment certificate's own page.
    general = client.get(f"/verify/{certificate.number}",
                         query_string={"code": certificate.verification_code})
    assert general.status_code == 301 and general.headers["Location"] == moved.headers["Location"]
    typed = client.get(f"/verify/{certificate.number}/{certificate.verification_code}")
    assert typed.status_code == 301 and typed.headers["Location"] == moved.headers["Location"]
    assert 'id="certificate-status"' in client.get(typed.headers["Location"]).get_data(
        as_text=True)
    posted = post(client, f"/verify/{certificate.number}/{certificate.verification_code}", {})
    assert posted.status_code == 308


def test_a_code_issued_before_the_new_alphabet_still_verifies(client, ctx):
    certificate = make_certificate()[3]
    legacy = "q7WZp3kV9sXr2LmT8dFh-_x4Zq9Lw2Pt"
    db.session.execute(update(Certificate).where(Certificate.id == certificate.id)
                       .values(verification_code=legacy))
    db.session.commit()
    assert _status(client.get(f"/verify/{certificate.number}/{legacy}")) == "Valid"
    assert client.get(f"/verify/{certificate.number}/{legacy.lower()}").status_code == 404


def _production(monkeypatch, **settings):
    for name in ("CERTTRACK_PUBLIC_BASE_URL", "CERTTRACK_ENV"):
        monkeypatch.delenv(name, raising=False)
    config = {"ENV": "production", "SECRET_KEY": "a-real-secret-key-of-production",
              "SQLALCHEMY_DATABASE_URI": "sqlite://", "SEAL_PKCS12_PATH": "/etc/seal.p12"}
    return create_app({**config, **settings})


@pytest.mark.parametrize("base", [None, "", "http://certtrack.example.kz", "https://"])
def test_production_refuses_to_start_without_an_https_public_address(monkeypatch, base):
    with pytest.raises(RuntimeError, match="https:// PUBLIC_BASE_URL"):
        _production(monkeypatch, PUBLIC_BASE_URL=base)


def test_production_refuses_to_start_without_a_seal(monkeypatch):
    with pytest.raises(RuntimeError, match="without the authority's seal"):
        _production(monkeypatch, PUBLIC_BASE_URL="https://certtrack.example.kz",
                    SEAL_PKCS12_PATH=None)


def test_production_starts_with_both_and_environment_variables_name_production(monkeypatch):
    app = _production(monkeypatch, PUBLIC_BASE_URL="https://certtrack.example.kz")
    assert app.config["PUBLIC_BASE_URL"] == "https://certtrack.example.kz"
    monkeypatch.setenv("CERTTRACK_ENV", "production")
    with pytest.raises(RuntimeError, match="https:// PUBLIC_BASE_URL"):
        create_app({"SECRET_KEY": "a-real-secret-key-of-production",
                    "SQLALCHEMY_DATABASE_URI": "sqlite://"})


def test_development_follows_the_address_it_is_served_on(monkeypatch):
    monkeypatch.delenv("CERTTRACK_ENV", raising=False)
    monkeypatch.setenv("CERTTRACK_PUBLIC_BASE_URL", "http://127.0.0.1:5101")
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    with app.app_context():
        assert verification_url("KZ-CN-2026-000001", "ABCD" * 6).startswith(
            "http://127.0.0.1:5101/verify/KZ-CN-2026-000001/ABCD-ABCD-")
    monkeypatch.delenv("CERTTRACK_PUBLIC_BASE_URL")
    default = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert default.config["PUBLIC_BASE_URL"] == "http://127.0.0.1:5000"
