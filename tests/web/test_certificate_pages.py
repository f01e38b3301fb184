"""The registrar's certificate and dossier pages, and who may download what."""

import html
import io
import re
from datetime import timedelta

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from certtrack.extensions import db
from certtrack.models import Certificate, Dossier, Notification, StoredPdf
from certtrack.services import certificates, dossiers, notifications, status_changes
from certtrack.services.applications import local_today
from certtrack.services.audit import record_event
from certtrack.services.inputs import StatusChangeInput
from certtrack.services.issued_files import pdf_bytes

from factories import (
    make_certificate,
    make_registration,
    make_submitted_application,
    make_user,
    move_to_state,
)
from forms import flashes, login, post


def _count(model) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.mark.real_pdf
def test_registrar_previews_then_issues_once(ctx, client):
    registrar = make_user("registrar")
    _exporter, _application, registration = make_registration(
        registrar, local_today() - timedelta(days=5))
    login(client, registrar.email)
    page_url = f"/registrar/registrations/{registration.id}"
    page = client.get(page_url).get_data(as_text=True)
    assert "No certificate has been issued" in page and "Issue the certificate" in page

    preview = client.get(f"{page_url}/certificate-preview")
    assert preview.status_code == 200 and preview.mimetype == "application/pdf"
    assert preview.headers["X-Content-Type-Options"] == "nosniff"
    assert "DRAFT" in PdfReader(io.BytesIO(preview.data)).pages[0].extract_text()
    assert _count(StoredPdf) == 0

    # Issuing cannot be undone: without the box ticked, nothing is issued.
    assert "The certificate takes the next number for good" in page
    # A step forward, not a loss: shown as a notice; revoking (below) stays a warning.
    assert 'class="consequence consequence-final"' in page
    unconfirmed = post(client, f"{page_url}/certificates")
    assert unconfirmed.status_code == 422
    assert "Tick the box to confirm." in unconfirmed.get_data(as_text=True)
    assert _count(Certificate) == 0

    issued = post(client, f"{page_url}/certificates", {"confirm": "y"})
    assert issued.status_code == 302 and issued.location == page_url + "#certificates"
    page = client.get(page_url).get_data(as_text=True)
    certificate = db.session.scalar(select(Certificate))
    assert f"Certificate {certificate.number} is issued" in " ".join(flashes(page))
    # The number read out on the telephone is never broken over two lines at a hyphen.
    assert f'<span class="ref">{certificate.number}</span>' in page
    assert db.session.get(StoredPdf, certificate.pdf_id).sha256 in page
    assert "Issue the certificate" not in page and "Replace after a change" in page
    revoke = client.get(f"/registrar/certificates/{certificate.id}/revoke").get_data(as_text=True)
    assert 'class="consequence"' in revoke and "consequence-final" not in revoke

    again = post(client, f"{page_url}/certificates", {"confirm": "y"})
    assert again.status_code == 302
    # A second tab's form, ticked or not, issues nothing more: the page shows what is there.
    assert "This action is no longer possible" in client.get(page_url).get_data(as_text=True)
    assert post(client, f"{page_url}/certificates").status_code == 302
    assert _count(Certificate) == 1


def test_replacement_needs_a_reason_and_marks_the_old_one_replaced(ctx, client):
    registrar, _exporter, registration, first = make_certificate()
    login(client, registrar.email)
    url = f"/registrar/certificates/{first.id}/replace"
    assert "What changed" in client.get(url).get_data(as_text=True)
    empty = post(client, url, {"reason": ""})
    assert empty.status_code == 422
    assert _count(Certificate) == 1
    unconfirmed = post(client, url, {"reason": "Validity extended by the renewal"})
    assert unconfirmed.status_code == 422 and _count(Certificate) == 1
    assert "Tick the box to confirm." in unconfirmed.get_data(as_text=True)
    done = post(client, url, {"reason": "Validity extended by the renewal", "confirm": "y"})
    assert done.status_code == 302
    page = client.get(done.location).get_data(as_text=True)
    second = db.session.scalar(select(Certificate).where(Certificate.replaces_id == first.id))
    assert f"Certificate {second.number} replaces {first.number}" in " ".join(flashes(page))
    assert "Replaced" in page and f"replaces {first.number}" in page
    note = db.session.scalars(select(Notification).where(
        Notification.user_id == _exporter.id, Notification.kind == "certificate_issued")
        .order_by(Notification.id.desc())).first()
    assert notifications.message_of(note) == (  # it read as one more new certificate
        f"Certificate of export eligibility {second.number} replaces {first.number}, which is "
        "no longer valid: Validity extended by the renewal")
    stale = post(client, url, {"reason": "Replaced twice by mistake", "confirm": "y"})
    assert stale.status_code == 302 and _count(Certificate) == 2
    public = client.get(f"/verify/{first.number}/{first.verification_code}")
    text = public.get_data(as_text=True)
    assert f"Replaced by certificate {second.number}." in text
    assert f'href="/verify/{second.number}"' in text and second.verification_code not in text
    assert "has since been revoked" not in text
    # The replacement revoked in turn: the officer holding the first paper learns that the one
    # to ask for is not in force either (its own page needs a code the officer does not have).
    certificates.revoke_certificate(registrar, second, "Issued to the wrong site")
    text = client.get(f"/verify/{first.number}/{first.verification_code}").get_data(
        as_text=True)
    assert (f"Certificate {second.number} has since been revoked." in text
            and "ask the enterprise for the current certificate" not in text)  # there is none
    assert ("This certificate has been replaced by a newer one, which has since been revoked: "
            "neither is in force." in text)


def test_a_replaced_certificate_says_when_the_registration_itself_no_longer_stands(
        ctx, client):
    """GACC delisted the establishment: the officer holding the replaced paper read "ask the
    enterprise for the current certificate", and could not check that one without its code."""
    registrar, _exporter, registration, first = make_certificate()
    certificates.issue_certificate(registrar, registration, replaces=first,
                                   reason="Validity extended by the renewal")
    path = f"/verify/{first.number}/{first.verification_code}"
    assert 'id="registration-now"' not in client.get(path).get_data(as_text=True)
    status_changes.change_status(registrar, registration, "suspend",
                                 StatusChangeInput.from_mapping({
        "authority": "gacc", "suspended_from": local_today(), "reason": "GACC notice 2026/41"}))
    text = html.unescape(client.get(path).get_data(as_text=True))
    assert ('<p id="registration-now"><strong>The establishment’s registration in China is '
            'suspended.</strong>') in text
    status_changes.change_status(registrar, registration, "revoke",
                                 StatusChangeInput.from_mapping({
        "reference": "GACC Announcement 2026 No. 90", "reason": "Delisted by GACC"}))
    text = html.unescape(client.get(path).get_data(as_text=True))
    assert ('<p id="registration-now"><strong>The establishment’s registration in China is no '
            'longer in force (revoked).</strong>') in text


def _history(page: str) -> str:
    return page[page.index("<h2>History</h2>"):]


def test_the_registrations_history_names_each_certificate_issued_replaced_and_revoked(
        ctx, client):
    registrar, _exporter, registration, first = make_certificate()
    _r, _e, _other_registration, other = make_certificate()
    login(client, registrar.email)
    page_url = f"/registrar/registrations/{registration.id}"
    history = _history(client.get(page_url).get_data(as_text=True))
    assert re.search(rf"Certificate issued</strong>\s*<code>{first.number}</code>", history)
    assert other.number not in history  # another registration's certificate is not its own
    assert post(client, f"/registrar/certificates/{first.id}/replace", {
        "reason": "Validity extended by the renewal", "confirm": "y"}).status_code == 302
    second = db.session.scalar(select(Certificate).where(Certificate.replaces_id == first.id))
    assert post(client, f"/registrar/certificates/{second.id}/revoke", {
        "reason": "Issued on a forged letter", "confirm": "y"}).status_code == 302
    history = _history(client.get(page_url).get_data(as_text=True))
    assert history.count("Certificate issued") == 2
    assert history.index(first.number) < history.index(second.number)
    assert "Validity extended by the renewal" in history
    assert re.search(rf"Certificate revoked</strong>\s*<code>{second.number}</code>", history)
    assert "Issued on a forged letter" in history


def test_the_exporter_downloads_its_certificate_and_no_one_elses(ctx, client):
    _registrar, exporter, _registration, certificate = make_certificate()
    _r, other_exporter, _g, other_certificate = make_certificate()
    login(client, exporter.email)
    listing = client.get("/exporter/registrations").get_data(as_text=True)
    assert f"/certificates/{certificate.id}.pdf" in listing
    assert f"/certificates/{other_certificate.id}.pdf" not in listing
    own = client.get(f"/certificates/{certificate.id}.pdf")
    assert own.status_code == 200
    assert own.data == pdf_bytes(db.session.get(StoredPdf, certificate.pdf_id))
    assert client.get(f"/certificates/{other_certificate.id}.pdf").status_code == 404
    assert client.get("/certificates/999.pdf").status_code == 404
    post(client, "/logout")
    login(client, other_exporter.email)
    assert client.get(f"/certificates/{certificate.id}.pdf").status_code == 404


def test_the_exporter_sees_that_its_certificate_was_revoked(ctx, client):
    """An exporter who forwards a revoked certificate learns from its own list that it is."""
    registrar, exporter, _registration, certificate = make_certificate()
    login(client, exporter.email)
    assert "Revoked" not in client.get("/exporter/registrations").get_data(as_text=True)
    certificates.revoke_certificate(registrar, certificate, "Issued to the wrong site")
    listing = client.get("/exporter/registrations").get_data(as_text=True)
    assert re.search(rf"{certificate.number}</a> <span class=\"badge badge-cert-revoked\">"
                     r"Revoked</span>", listing)


def test_the_registrar_opens_the_public_page_a_border_officer_sees(ctx, client):
    """On a telephone call from a border post, the registrar sees what the officer sees."""
    registrar, _exporter, registration, certificate = make_certificate()
    login(client, registrar.email)
    page = client.get(f"/registrar/registrations/{registration.id}").get_data(as_text=True)
    link = re.search(r'<a href="([^"]+)">Public verification page</a>', page)
    assert link and link.group(1).startswith(f"/verify/{certificate.number}/")
    public = client.get(link.group(1))
    assert public.status_code == 200
    assert 'id="certificate-status">Valid<' in public.get_data(as_text=True)


def test_dossiers_are_listed_downloaded_and_regenerated(ctx, client):
    registrar = make_user("registrar")
    _exporter, application = make_submitted_application(name="Steppe Grain LLP")
    move_to_state(application, "conclusion_positive")
    login(client, registrar.email)
    assert post(client, "/registrar/recommend",
                {"confirm": "y", "application_id": application.id}).status_code == 302
    (dossier,) = db.session.scalars(select(Dossier)).all()
    detail = client.get(f"/registrar/applications/{application.id}").get_data(as_text=True)
    assert f"/dossiers/{dossier.id}.pdf" in detail and "Generate a new version" in detail
    download = client.get(f"/dossiers/{dossier.id}.pdf")
    assert download.status_code == 200 and download.mimetype == "application/pdf"
    assert download.headers["Content-Disposition"] == (
        f"attachment; filename=dossier-{application.reference}-v1.pdf")
    assert download.data == pdf_bytes(db.session.get(StoredPdf, dossier.pdf_id))

    again = post(client, f"/registrar/applications/{application.id}/dossiers")
    assert again.status_code == 302
    assert "Version 2 of the dossier is stored." in client.get(again.location).get_data(
        as_text=True)
    assert _count(Dossier) == 2

    inspector = make_user("inspector")
    post(client, "/logout")
    login(client, inspector.email)
    assert client.get(f"/dossiers/{dossier.id}.pdf").status_code == 200
    page = client.get(f"/inspector/applications/{application.id}").get_data(as_text=True)
    assert f"/dossiers/{dossier.id}.pdf" in page and "Generate a new version" not in page


def test_a_dossier_still_in_the_queue_is_being_prepared(ctx, client):
    """The queued first version read "No dossier is stored yet." until the worker stored it;
    and an application recommended long ago without a dossier is offered one, not an
    endless "being prepared"."""
    registrar = make_user("registrar")
    _exporter, application = make_submitted_application(name="Steppe Grain LLP")
    move_to_state(application, "recommended")  # its dossier job has not run yet
    record_event(registrar, "recommend", object_type="application", object_id=application.id,
                 application_id=application.id, from_state="conclusion_positive",
                 to_state="recommended")
    db.session.commit()
    _other, older = make_submitted_application(name="Older Grain LLP")
    move_to_state(older, "registered")  # recorded before dossiers were queued: none stored
    login(client, registrar.email)

    def section(of) -> str:
        page = client.get(f"/registrar/applications/{of.id}").get_data(as_text=True)
        return page.split('id="dossiers"')[1].split("</section>")[0]

    queued = section(application)
    assert "The dossier is being prepared; this page refreshes itself when it is ready." in queued
    assert "data-preparing" in queued and "Generate" not in queued
    old = section(older)
    assert "No dossier is stored yet." in old and "data-preparing" not in old
    assert "Generate the dossier" in old
    assert post(client, f"/registrar/applications/{older.id}/dossiers").status_code == 302
    stored = section(older)
    assert "Version 1" in stored and "Generate a new version" in stored
    dossiers.regenerate(registrar, application=application)
    assert "Version 1" in section(application) and "data-preparing" not in section(application)


def test_the_batch_page_lists_its_dossier(ctx, client):
    registrar = make_user("registrar")
    _exporter, application = make_submitted_application(name="Steppe Grain LLP")
    move_to_state(application, "recommended")
    login(client, registrar.email)
    sent = post(client, "/registrar/batches", {"confirm": "y",
        "reference": "KZ-GACC-2026-09", "submitted_on": local_today().isoformat(),
        "application_id": application.id})
    assert sent.status_code == 302
    page = client.get(sent.location).get_data(as_text=True)
    (dossier,) = db.session.scalars(select(Dossier)).all()
    assert dossier.gacc_batch_id is not None
    assert f"/dossiers/{dossier.id}.pdf" in page
