"""A registrar revokes one certificate: reason and confirmation, verification says revoked."""

import re

import pytest
from sqlalchemy import select

from certtrack.extensions import db
from certtrack.models import AuditEvent, Certificate, Notification, Registration
from certtrack.services import certificates

from factories import make_certificate, make_user
from forms import flashes, login, post


@pytest.fixture
def issued(ctx, client):
    registrar, exporter, registration, certificate = make_certificate()
    login(client, registrar.email)
    return registrar, exporter, registration, certificate


def _verify(client, certificate) -> str:
    return client.get(f"/verify/{certificate.number}/{certificate.verification_code}") \
        .get_data(as_text=True)


def test_a_revoked_certificate_verifies_as_revoked_while_its_registration_stays_active(
        client, issued):
    _registrar, exporter, registration, certificate = issued
    assert "Revoked" not in _verify(client, certificate)
    page = client.get(f"/registrar/certificates/{certificate.id}/revoke").get_data(as_text=True)
    assert "Revoke certificate " + certificate.number in page
    response = post(client, f"/registrar/certificates/{certificate.id}/revoke",
                    {"reason": "The printed address is wrong", "confirm": "y"})
    assert response.status_code == 302
    assert response.location == f"/registrar/registrations/{registration.id}"

    assert re.search(r'id="certificate-status">\s*Revoked\s*<', _verify(client, certificate))
    db.session.expire_all()
    assert db.session.get(Registration, registration.id).status == "active"
    stored = db.session.get(Certificate, certificate.id)
    assert stored.revoked_at is not None
    assert stored.revocation_reason == "The printed address is wrong"
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action ==
                                                       "certificate_revoked"))
    assert (event.object_id, event.comment) == (certificate.id, "The printed address is wrong")
    told = db.session.scalar(select(Notification.message).where(
        Notification.user_id == exporter.id, Notification.kind == "certificate_revoked"))
    assert certificate.number in told
    registration_page = client.get(response.location).get_data(as_text=True)
    assert "Revoked: The printed address is wrong" in registration_page
    # the next step is a new certificate, not a "change" (the only button read "Replace after a
    # change" for a certificate revoked as issued by mistake)
    assert re.search(r'id="certificate-next"[^>]*>Issue a new certificate in place of the '
                     r'revoked one</a>', registration_page)


@pytest.mark.parametrize(
    ("form", "message"),
    [({"reason": "", "confirm": "y"}, "Please give a reason."),
     ({"reason": "Wrong address"}, "Tick the box to confirm.")],
)
def test_revocation_needs_a_reason_and_a_confirmation(client, issued, form, message):
    *_, certificate = issued
    response = post(client, f"/registrar/certificates/{certificate.id}/revoke", form)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Certificate, certificate.id).revoked_at is None


def test_a_revoked_certificate_cannot_be_revoked_twice(client, issued):
    *_, certificate = issued
    body = {"reason": "Wrong address", "confirm": "y"}
    post(client, f"/registrar/certificates/{certificate.id}/revoke", body)
    again = post(client, f"/registrar/certificates/{certificate.id}/revoke", body,
                 follow_redirects=True)
    assert f"Certificate {certificate.number} is already revoked." in " ".join(
        flashes(again.get_data(as_text=True)))


def test_an_exporter_cannot_revoke(client, issued):
    _registrar, exporter, _registration, certificate = issued
    login(client, exporter.email)
    response = post(client, f"/registrar/certificates/{certificate.id}/revoke",
                    {"reason": "x", "confirm": "y"})
    assert response.status_code in (403, 404)
    db.session.expire_all()
    assert db.session.get(Certificate, certificate.id).revoked_at is None


def test_another_registrar_sees_the_certificate_too(client, issued):
    *_, certificate = issued
    other = make_user("registrar")
    login(client, other.email)
    assert client.get(f"/registrar/certificates/{certificate.id}/revoke").status_code == 200


def test_a_chain_of_replacements_leads_to_the_certificate_in_force(client, issued):
    """000006 replaced by 000007, which was revoked and replaced by 000008: the page of 000006
    named 000007 "since revoked" and never 000008. A revoked certificate offered "Revoke…"
    again, and its replacement form said it would then verify as "replaced"."""
    registrar, _exporter, registration, first = issued
    second = certificates.issue_certificate(registrar, registration, replaces=first,
                                            reason="Address changed")
    certificates.revoke_certificate(registrar, second, "Printed with a wrong product")
    page = client.get(f"/registrar/certificates/{second.id}/replace").get_data(as_text=True)
    assert "which stays revoked" in page and "verifies as “replaced”" not in page
    third = certificates.issue_certificate(registrar, registration, replaces=second,
                                           reason="Reissued after the revocation")
    answer = _verify(client, first)
    assert f"Replaced by certificate {third.number}." in answer
    assert "has since been revoked" not in answer
    registration_page = client.get(f"/registrar/registrations/{registration.id}")
    row = re.search(rf'<tr id="certificate-{second.id}".*?</tr>',
                    registration_page.get_data(as_text=True), re.S).group(0)
    assert "Revoked: Printed with a wrong product" in row
    assert f"/registrar/certificates/{second.id}/revoke" not in row


def test_a_replaced_certificate_leads_to_the_one_that_replaced_it(client, issued):
    """The pages of a replaced certificate named none: "has already been replaced", "revoke
    the certificate that replaces it", and no way there but back to the registration."""
    registrar, _exporter, registration, first = issued
    second = certificates.issue_certificate(registrar, registration, replaces=first,
                                            reason="Address changed")
    replace = client.get(f"/registrar/certificates/{first.id}/replace").get_data(as_text=True)
    assert (f"Certificate {first.number} has already been replaced by certificate "
            f"{second.number}; a further change replaces that one.") in replace
    assert f'href="/registrar/certificates/{second.id}/replace"' in replace
    revoke = client.get(f"/registrar/certificates/{first.id}/revoke").get_data(as_text=True)
    assert (f"Certificate {first.number} has been replaced by certificate {second.number}; "
            "revoke that one.") in revoke
    assert f'href="/registrar/certificates/{second.id}/revoke"' in revoke


def test_a_replacement_sent_from_a_stale_page_names_the_newer_certificate(client, issued):
    registrar, _exporter, registration, first = issued
    second = certificates.issue_certificate(registrar, registration, replaces=first,
                                            reason="Address changed")
    response = post(client, f"/registrar/certificates/{first.id}/replace",
                    {"reason": "Legal representative changed", "confirm": "y"},
                    follow_redirects=True)
    page = response.get_data(as_text=True)
    said = " ".join(flashes(page))
    assert f"has already been replaced by certificate {second.number}" in said
    assert "What you typed: Legal representative changed" in said
    certificates.revoke_certificate(registrar, second, "Printed with a wrong product")
    revoke = client.get(f"/registrar/certificates/{first.id}/revoke").get_data(as_text=True)
    assert f"replaced by certificate {second.number}, which is revoked too." in revoke
    assert f'href="/registrar/certificates/{second.id}/revoke"' not in revoke
