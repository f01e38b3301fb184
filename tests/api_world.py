"""The world of the API tests: accounts of every role, each with a token, and their objects."""

from datetime import date, timedelta
from types import SimpleNamespace

from sqlalchemy import select

from certtrack.extensions import db
from certtrack.models import ApiToken, LabLimit, Sample
from certtrack.models.base import utcnow
from certtrack.services import laboratories, laboratory, tokens
from certtrack.services.inputs import SampleInput
from certtrack.services.permissions import SYSTEM

from factories import (
    make_application_for_lab,
    make_bin,
    make_exporter_with_application,
    make_user,
)

SECOND_BIN = "961141000023"


def token_for(user, scopes=("read", "write"), days: int = 30) -> str:
    """A new token of `user`; its secret."""
    _token, secret = tokens.create_token(user, tokens.TokenInput(
        name=f"{user.email} system", scopes=list(scopes), days=days))
    return secret


def bearer(secret: str) -> dict:
    return {"Authorization": f"Bearer {secret}"}


DON = "deoxynivalenol (DON)"


def make_laboratory(name: str, parameters=(DON, "lead", "cadmium"),
                    categories=("edible_grains", "milled_grain")):
    """An accredited laboratory valid for a year (a grain laboratory unless `categories`
    say otherwise), and its account."""
    lab = laboratories.create_laboratory(SYSTEM, laboratories.LaboratoryInput(
        name=name, accreditation_number="KZ.T.02.0001",
        accredited_until=date.today() + timedelta(days=365), parameters=list(parameters),
        categories=list(categories)))
    user = make_user("laboratory", laboratory_id=lab.id)
    return lab, user


def wheat_limit(parameter: str = DON) -> LabLimit:
    """The limit of `parameter` that applies to wheat."""
    rows = db.session.scalars(select(LabLimit).where(LabLimit.parameter == parameter))
    return next(row for row in rows if "wheat" in row.products.split())


def lab_sample(inspector, application, lab, code: str) -> Sample:
    """A wheat sample of the application sent to `lab`; the application in laboratory testing."""
    sample = laboratory.record_sample(inspector, application, SampleInput.from_mapping({
        "code": code, "product_code": "wheat", "taken_on": date.today(),
        "matrix": "grain", "laboratory": lab.name, "laboratory_id": lab.id}))
    return sample


def build_world() -> SimpleNamespace:
    """Exporters A and B, an inspector, a registrar, an admin, two laboratories, a revoked and an
    expired token; A's draft application and a sample sent to laboratory 1."""
    w = SimpleNamespace()
    w.exporter_a, w.enterprise_a, w.establishment_a, w.application_a = \
        make_exporter_with_application()
    w.exporter_b, _e, w.establishment_b, w.application_b = make_exporter_with_application(
        SECOND_BIN)
    _lab_exporter, w.inspector, w.lab_application = make_application_for_lab(
        "inspected", bin_=make_bin(8801))  # not a serial make_submitted_application counts
    w.registrar = make_user("registrar")
    w.admin = make_user("admin")
    w.lab1, w.lab_user1 = make_laboratory("Khorgos Testing Laboratory")
    w.lab2, w.lab_user2 = make_laboratory("East Kazakhstan Laboratory")
    w.sample1 = lab_sample(w.inspector, w.lab_application, w.lab1, "S-1")
    w.sample2 = lab_sample(w.inspector, w.lab_application, w.lab2, "S-2")
    laboratory.send_to_lab(w.inspector, w.lab_application)
    w.tokens = {
        "exporter_a": token_for(w.exporter_a), "exporter_b": token_for(w.exporter_b),
        "inspector": token_for(w.inspector), "registrar": token_for(w.registrar),
        "admin": token_for(w.admin), "laboratory": token_for(w.lab_user1),
        "laboratory_b": token_for(w.lab_user2),
        "revoked": token_for(w.exporter_a), "expired": token_for(w.exporter_a),
    }
    revoked = db.session.scalar(select(ApiToken).where(
        ApiToken.token_hash == tokens.token_hash(w.tokens["revoked"])))
    tokens.revoke_token(w.exporter_a, revoked.id, "Leaked in a build log")
    expired = db.session.scalar(select(ApiToken).where(
        ApiToken.token_hash == tokens.token_hash(w.tokens["expired"])))
    expired.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    return w
