"""The public verification of a consignment certificate, the page its QR code opens."""

from datetime import timedelta

from certtrack.domain.verification import group_code
from certtrack.services import registrations
from certtrack.services.applications import local_today
from certtrack.services.consignments import issue
from certtrack.services.inputs import StatusChangeInput
from certtrack.services.notifications import verification_url

from consignment_factories import inspect_ready, make_consignment
from factories import make_user


def _issued():
    _e, inspector, registration, consignment = make_consignment("phyto")
    inspect_ready(inspector, consignment)
    certificate = issue.issue_consignment_certificate(inspector, consignment)
    url = verification_url(certificate.number, certificate.verification_code, "consignment")
    return registration, certificate, url.replace("http://127.0.0.1:5000", "")


def test_a_signed_out_visitor_sees_valid_and_the_registration_status(ctx, client):
    registration, certificate, path = _issued()
    assert path == (f"/verify/consignment/{certificate.number}/"
                    f"{group_code(certificate.verification_code)}")
    response = client.get(path)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="certificate-status">Valid<' in page
    assert 'id="registration-status">Active<' in page
    assert 'id="development-seal"' in page and 'href="/verify/seal"' in page
    assert registration.china_number in page


def test_a_later_suspension_does_not_void_it_but_is_shown(ctx, client):
    registration, certificate, path = _issued()
    registrations.change_status(make_user("registrar"), registration, "suspend",
                                StatusChangeInput.from_mapping({
        "authority": "gacc", "suspended_from": local_today() + timedelta(days=1),
        "reason": "GACC notice"}))
    page = client.get(path).get_data(as_text=True)
    assert 'id="certificate-status">Valid<' in page
    assert 'id="registration-status">Suspended<' in page
    assert 'id="registration-status-at-issue">Active<' in page


def test_a_wrong_code_is_not_found(ctx, client):
    _r, certificate, _path = _issued()
    response = client.get(f"/verify/consignment/{certificate.number}/wrong-code")
    assert response.status_code == 404
    assert "No certificate matches this number and code." in response.get_data(as_text=True)
