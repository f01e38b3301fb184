"""The cluster test's small seed, made through the services with the cluster's own settings (the
environment): an exporter with a draft application to upload to, an account to guess at, a
registrar with an authenticator secret, and an active registration to issue a certificate
for. Prints what the journey needs as one line of JSON."""

import json
import sys
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from certtrack import create_app  # noqa: E402
from certtrack.services.applications import local_today  # noqa: E402

from factories import make_exporter_with_application, make_registration, make_user  # noqa: E402
from forms import PASSWORD  # noqa: E402


def seed() -> dict:
    """Create the accounts and records; return their e-mails, secrets and ids."""
    exporter, _enterprise, _establishment, draft = make_exporter_with_application(
        "961141000023", email="uploader@cluster.example.kz", complete=False)
    guessed = make_user("exporter", "guessed@cluster.example.kz")
    registrar = make_user("registrar", "registrar@cluster.example.kz")
    _owner, _application, registration = make_registration(
        registrar, local_today() - timedelta(days=30))
    return {"password": PASSWORD, "exporter": exporter.email, "draft_id": draft.id,
            "guessed": guessed.email, "registrar": registrar.email,
            "registrar_totp": registrar.totp_secret, "registration_id": registration.id}


if __name__ == "__main__":
    with create_app().app_context():
        print(json.dumps(seed()))
