"""Replacing an issued consignment certificate (ISPM 12 section 6.1) from the inspector's page:
a reason and a confirmation, a new number naming the original, which shows as replaced."""

import re

from sqlalchemy import select

from certtrack.extensions import db
from certtrack.models import AuditEvent, ConsignmentCertificate
from certtrack.services import status_changes
from certtrack.services.consignments import issue

from consignment_factories import inspect_ready, make_consignment
from factories import make_user
from forms import flashes, login, post


def _issued(app):
    with app.app_context():
        exporter, inspector, _registration, consignment = make_consignment()
        inspect_ready(inspector, consignment)
        certificate = issue.issue_consignment_certificate(inspector, consignment)
        return inspector.email, exporter.email, consignment.id, certificate.number


def _certificates(app):
    with app.app_context():
        return db.session.execute(select(ConsignmentCertificate.number,
                                         ConsignmentCertificate.replaces_id)
                                  .order_by(ConsignmentCertificate.id)).all()


def test_without_confirmation_nothing_is_replaced(app, client):
    inspector, _exporter, consignment_id, number = _issued(app)
    login(client, inspector)
    url = f"/inspector/consignments/{consignment_id}"
    assert "Replace a lost or damaged certificate…" in client.get(url).get_data(as_text=True)
    answer = post(client, url + "/replace", {"reason": "Wagon number corrected"})
    assert answer.status_code == 422
    assert "Tick the box to confirm." in answer.get_data(as_text=True)
    assert [row.number for row in _certificates(app)] == [number]


def test_a_confirmed_replacement_names_the_original_and_keeps_the_reason(app, client):
    inspector, exporter, consignment_id, number = _issued(app)
    login(client, inspector)
    url = f"/inspector/consignments/{consignment_id}"
    answer = post(client, url + "/replace", {"reason": "Wagon number corrected",
                                             "confirm": "y"}, follow_redirects=True)
    page = answer.get_data(as_text=True)
    assert answer.status_code == 200
    (old, _none), (new, replaces_id) = _certificates(app)
    assert old == number and replaces_id is not None
    assert f"Certificate {new} replaces {number}; the exporter is told." in " ".join(
        flashes(page))
    with app.app_context():
        event = db.session.scalars(select(AuditEvent).where(
            AuditEvent.action == "consignment_certificate_issued")
            .order_by(AuditEvent.id.desc())).first()
        assert event.comment == "Wagon number corrected"
        assert event.data["replaces"] == number
    # the exporter is told which number it replaces, and why (it read as one more new
    # certificate)
    exporter_client = client.application.test_client()
    login(exporter_client, exporter)
    notes = exporter_client.get("/notifications").get_data(as_text=True)
    assert (f"Certificate {new} replaces {number} for consignment CS-{consignment_id:06d}, "
            "which is no longer valid: Wagon number corrected") in notes
    second = post(client, url + "/replace", {"reason": "Again a typo", "confirm": "y"},
                  follow_redirects=True)
    assert second.status_code == 200
    assert len(_certificates(app)) == 3  # the current one is replaced in turn, never twice
    # the registrar's registration page says which one is in force (it listed them alike)
    registrar = client.application.test_client()
    with app.app_context():
        login(registrar, make_user("registrar").email)
        certificate = db.session.scalar(select(ConsignmentCertificate).where(
            ConsignmentCertificate.number == number))
        registration_id, first_id = certificate.registration_id, certificate.id
    page = registrar.get(f"/registrar/registrations/{registration_id}").get_data(as_text=True)
    statuses = re.findall(r'id="consignment-certificate-(\d+)-status">([^<]*)<', page)
    newest = _certificates(app)[2].number
    assert statuses == [(str(first_id + 2), "Valid"), (str(first_id + 1),
                        f"Replaced by certificate {newest}."),
                        (str(first_id), f"Replaced by certificate {new}.")]


def test_the_form_sent_twice_replaces_once(app, client):
    """It issued two replacements: the second replaced the first replacement, a number burnt
    and a certificate that read "replaced" at once."""
    inspector, _exporter, consignment_id, number = _issued(app)
    login(client, inspector)
    url = f"/inspector/consignments/{consignment_id}"
    page = client.get(url).get_data(as_text=True)
    assert f'name="certificate" type="hidden" value="{number}"' in page
    form = {"reason": "Lost in transit", "confirm": "y", "certificate": number}
    assert post(client, url + "/replace", form, csrf_url=url).status_code == 302
    again = post(client, url + "/replace", form, csrf_url=url)
    assert again.status_code == 422
    (_old, _none), (new, _replaces) = _certificates(app)
    assert (f"Certificate {number} was replaced already: {new} is current. The form was sent "
            "twice or from an old page, and no other certificate was issued.") in \
        again.get_data(as_text=True)
    assert len(_certificates(app)) == 2


def test_the_replaced_certificates_public_page_names_its_replacement(app, client):
    """A border officer holding the replaced paper learns which certificate to ask for; its
    code is not given away: the link opens the form with the number filled in."""
    inspector, _exporter, consignment_id, number = _issued(app)
    login(client, inspector)
    assert post(client, f"/inspector/consignments/{consignment_id}/replace",
                {"reason": "Wagon number corrected", "confirm": "y"}).status_code == 302
    with app.app_context():
        old, new = db.session.scalars(select(ConsignmentCertificate)
                                      .order_by(ConsignmentCertificate.id)).all()
        address = f"/verify/consignment/{old.number}/{old.verification_code}"
        new_number, new_code = new.number, new.verification_code
    page = client.get(address).get_data(as_text=True)
    assert f"<title>Certificate {number} · certtrack</title>" in page
    assert f"Replaced by certificate {new_number}." in page
    assert f'href="/verify/consignment/{new_number}"' in page and new_code not in page
    form = client.get(f"/verify/consignment/{new_number}").get_data(as_text=True)
    assert f'value="{new_number}"' in form
    current = client.get(f"/verify/consignment/{new_number}/{new_code}").get_data(as_text=True)
    assert 'id="replacement"' not in current


def test_the_exporter_and_an_inspector_of_another_region_cannot_replace(app, client):
    inspector, exporter, consignment_id, number = _issued(app)
    with app.app_context():
        make_user("inspector", email="far@example.kz", committee="phytosanitary",
                  regions=["KZ-39"])
    body = {"reason": "x", "confirm": "y"}
    login(client, exporter)
    assert post(client, f"/inspector/consignments/{consignment_id}/replace",
                body).status_code == 403
    client.get("/logout")
    other = app.test_client()
    login(other, "far@example.kz")
    assert post(other, f"/inspector/consignments/{consignment_id}/replace",
                body).status_code == 404
    assert [row.number for row in _certificates(app)] == [number]


def test_under_a_suspended_registration_the_page_says_no_replacement_before_the_form(app,
                                                                                   client):
    """The form took a reason and a ticked box, and only then said the registration was
    suspended, which the page showed already."""
    from certtrack.services.applications import local_today
    from certtrack.services.inputs import StatusChangeInput

    inspector, _exporter, consignment_id, number = _issued(app)
    with app.app_context():
        certificate = db.session.scalar(select(ConsignmentCertificate).where(
            ConsignmentCertificate.number == number))
        status_changes.change_status(
            make_user("registrar"), certificate.registration, "suspend",
            StatusChangeInput.from_mapping({"authority": "gacc", "reason": "Site audit",
                                            "suspended_from": local_today()}))
    login(client, inspector)
    page = client.get(f"/inspector/consignments/{consignment_id}").get_data(as_text=True)
    barred = re.search(r'id="replace-barred">(.*?)</div>', page, re.S)
    assert barred is not None and "suspended" in barred.group(1)
    assert f'action="/inspector/consignments/{consignment_id}/replace"' not in page


def test_replacing_on_a_consignment_never_issued_says_so(app, client):
    """A stale or crafted form on a consignment with no certificate answered 500."""
    with app.app_context():
        _exporter, inspector, _registration, consignment = make_consignment()
        inspector_email, consignment_id = inspector.email, consignment.id
    login(client, inspector_email)
    answer = post(client, f"/inspector/consignments/{consignment_id}/replace",
                  {"reason": "Paper damaged in transit", "confirm": "y"})
    assert answer.status_code == 422
    assert "has no certificate to replace" in answer.get_data(as_text=True)
    assert _certificates(app) == []
