"""An issued consignment certificate corrected or cancelled (ISPM 12 section 6.1). A
replacement printed the same data as the certificate it replaced, so a mistyped wagon number
could not be corrected; a certificate whose goods did not leave verified as valid for good."""

import dataclasses
import html
import re

from flask import g
from sqlalchemy import func, select

from certtrack.extensions import db
from certtrack.models import Consignment, ConsignmentCertificate, Notification
from certtrack.services import status_changes
from certtrack.services.applications import local_today
from certtrack.services.consignments import drafts, issue

from consignment_factories import WHEAT_LOT, header, inspect_ready, make_consignment
from factories import make_user
from forms import flashes, login, post

REASON = "Another wagon on the certificate: the grain is in 95123485, not 95123451"


def _issued():
    exporter, inspector, registration, consignment = make_consignment()
    inspect_ready(inspector, consignment)
    certificate = issue.issue_consignment_certificate(inspector, consignment)
    return exporter, inspector, registration, consignment, certificate


def _fresh(model, id_):
    db.session.expire_all()
    return db.session.get(model, id_)


def _corrected_by(client, exporter, consignment) -> Consignment:
    """The exporter asks for a correction of REASON on the consignment's page: its draft."""
    login(client, exporter.email)
    assert post(client, f"/exporter/consignments/{consignment.id}/request_correction", {
        "reason": REASON, "version": str(consignment.version), "confirm": "y"}
        ).status_code == 302
    return _fresh(Consignment, consignment.id)


def _status(client, certificate) -> str:
    page = client.get(f"/verify/consignment/{certificate.number}/"
                      f"{certificate.verification_code}").get_data(as_text=True)
    return page.split('id="certificate-status">')[1].split("<")[0]


def test_the_exporter_corrects_the_data_and_the_replacement_prints_it(ctx, client):
    exporter, inspector, _registration, consignment, first = _issued()
    base = f"/exporter/consignments/{consignment.id}"
    login(client, exporter.email)
    assert "Ask for a corrected certificate" in client.get(base).get_data(as_text=True)
    refused = post(client, f"{base}/request_correction",
                   {"reason": "", "version": str(consignment.version), "confirm": "y"})
    assert refused.status_code == 422
    assert _fresh(Consignment, consignment.id).state == "issued"

    answer = post(client, f"{base}/request_correction",
                  {"reason": REASON, "version": str(consignment.version), "confirm": "y"})
    assert answer.status_code == 302
    consignment = _fresh(Consignment, consignment.id)
    assert (consignment.state, consignment.correction_reason) == ("draft", REASON)
    assert _status(client, first) == "Valid"  # until the corrected one replaces it
    page = client.get(base).get_data(as_text=True)
    assert f"Being corrected: {REASON}" in page
    assert db.session.scalar(select(Notification).where(
        Notification.user_id == inspector.id, Notification.kind == "consignment_correction"))

    # The exporter's draft again: the lot is corrected, and the request submitted.
    drafts.remove_lot(exporter, consignment, consignment.lots[0].id)
    drafts.add_lot(exporter, consignment, dataclasses.replace(
        WHEAT_LOT, marks="Wagon 95123485, seal KZ 778812"))
    assert post(client, f"{base}/submit", {"version": str(consignment.version),
                                           "confirm": "y"}).status_code == 302

    login(client, inspector.email)
    inspector_base = f"/inspector/consignments/{consignment.id}"
    consignment = _fresh(Consignment, consignment.id)
    assert post(client, f"{inspector_base}/start_inspection",
                {"version": str(consignment.version)}).status_code == 302
    consignment = _fresh(Consignment, consignment.id)
    issued = post(client, f"{inspector_base}/issue", {"version": str(consignment.version),
                                                       "confirm": "y"}, follow_redirects=True)
    second = db.session.scalars(select(ConsignmentCertificate)
                                .order_by(ConsignmentCertificate.id.desc())).first()
    assert (f"Certificate {second.number} replaces {first.number}; the exporter is told."
            in " ".join(flashes(issued.get_data(as_text=True))))
    assert second.replaces_id == first.id
    assert second.context["lots"][0]["marks"] == "Wagon 95123485, seal KZ 778812"
    assert _fresh(ConsignmentCertificate, first.id).context["lots"][0]["marks"] == (
        "Wagon 95123451, seal KZ 778812")  # the original stays as it was issued
    assert _fresh(Consignment, consignment.id).correction_reason == ""
    assert _status(client, first) == "Replaced" and _status(client, second) == "Valid"
    verify = client.get(f"/verify/consignment/{second.number}/"
                        f"{second.verification_code}").get_data(as_text=True)
    assert f'<span class="ref">{first.number}</span>, no longer valid' in verify
    assert re.search(r'id="authority">[^<]*Inspection[^<]*<', verify)  # who issued it
    note = db.session.scalars(select(Notification).where(
        Notification.user_id == exporter.id,
        Notification.kind == "consignment_certificate_issued")
        .order_by(Notification.id.desc())).first()
    assert REASON in str(note.message)


def test_the_inspector_reads_what_changed_since_the_certificate_in_force(ctx, client):
    """The reason said a wagon number; the consignee changed too, and the inspector's page
    showed nothing of either: the replacement was issued in two clicks."""
    exporter, inspector, registration, consignment, first = _issued()
    base = f"/exporter/consignments/{consignment.id}"
    consignment = _corrected_by(client, exporter, consignment)
    before = consignment.consignee_name
    drafts.update_consignment(exporter, consignment, header(
        registration, consignee_name="Back Edit Trading Co., Ltd.", origin_region_code="KZ-39",
        version=consignment.version))
    drafts.remove_lot(exporter, consignment, consignment.lots[0].id)
    drafts.add_lot(exporter, consignment, dataclasses.replace(
        WHEAT_LOT, marks="Wagon 95123485, seal KZ 778812"))
    consignment = _fresh(Consignment, consignment.id)
    assert post(client, f"{base}/submit", {"version": str(consignment.version),
                                           "confirm": "y"}).status_code == 302

    login(client, inspector.email)
    page = html.unescape(client.get(f"/inspector/consignments/{consignment.id}").get_data(
        as_text=True))
    card = page.split('id="changes-since-certificate">')[1].split("</section>")[0]
    rows = [re.sub(r"<[^>]+>", "|", row).strip("|").replace("||", "|")
            for row in card.split("<tr>")[2:]]
    assert rows[0].startswith(f"Consignee in China|{before}|Back Edit Trading Co., Ltd.")
    assert rows[1].startswith("Region of origin|Akmola Region|Kostanay Region")
    assert rows[2].startswith("Lot removed|Wheat · 65.5 tonnes · Wagon 95123451, seal KZ 778812|—")
    assert rows[3].startswith("Lot added|—|Wheat · 65.5 tonnes · Wagon 95123485, seal KZ 778812")
    assert len(rows) == 4  # nothing said changed that did not

    inspector_base = f"/inspector/consignments/{consignment.id}"
    consignment = _fresh(Consignment, consignment.id)
    post(client, f"{inspector_base}/start_inspection", {"version": str(consignment.version)})
    consignment = _fresh(Consignment, consignment.id)
    assert post(client, f"{inspector_base}/issue", {"version": str(consignment.version),
                                                     "confirm": "y"}).status_code == 302
    assert "changes-since-certificate" not in client.get(inspector_base).get_data(
        as_text=True)  # the replacement is issued: nothing is being corrected


def test_the_inspector_reopens_to_correct_a_treatment(ctx, client):
    exporter, inspector, _registration, consignment, first = _issued()
    base = f"/inspector/consignments/{consignment.id}"
    login(client, inspector.email)
    unconfirmed = post(client, f"{base}/reopen", {"reason": "Dose was 3 g/m³, not 2",
                                                  "version": str(consignment.version)})
    assert unconfirmed.status_code == 422
    assert "Tick the box to confirm." in unconfirmed.get_data(as_text=True)
    assert post(client, f"{base}/reopen", {"reason": "Dose was 3 g/m³, not 2", "confirm": "y",
                                           "version": str(consignment.version)}
                ).status_code == 302
    consignment = _fresh(Consignment, consignment.id)
    assert consignment.state == "under_inspection"
    assert post(client, f"{base}/treatment", {
        "type": "heat", "temperature": "56", "duration": "30 min",
        "treated_on": first.issued_on.isoformat()}).status_code == 302
    consignment = _fresh(Consignment, consignment.id)
    assert post(client, f"{base}/issue", {"version": str(consignment.version),
                                          "confirm": "y"}).status_code == 302
    second = db.session.scalars(select(ConsignmentCertificate)
                                .order_by(ConsignmentCertificate.id.desc())).first()
    assert second.replaces_id == first.id
    assert len(second.context["treatments"]) == len(first.context["treatments"]) + 1
    assert db.session.scalar(select(Notification).where(
        Notification.user_id == exporter.id, Notification.kind == "consignment_correction"))


def test_a_cancelled_certificate_verifies_as_cancelled_on_its_ground(ctx, client):
    exporter, inspector, registration, consignment, certificate = _issued()
    base = f"/inspector/consignments/{consignment.id}"
    login(client, inspector.email)
    form = client.get(base).get_data(as_text=True).split('id="cancel"')[1].split("</section>")[0]
    assert "Ground of the cancellation" in form
    assert "The goods are not exported" in form and "issued in error" in form
    for ground in ("", "withdrawn"):  # none chosen; a ground the workflow sets, not the inspector
        refused = post(client, f"{base}/cancel", {"reason": "The buyer cancelled the shipment",
                                                  "ground": ground, "confirm": "y",
                                                  "version": str(consignment.version)})
        assert refused.status_code == 422
        assert _fresh(Consignment, consignment.id).state == "issued"
    unconfirmed = post(client, f"{base}/cancel", {"reason": "The buyer cancelled the shipment",
                                                  "ground": "not_exported",
                                                  "version": str(consignment.version)})
    assert unconfirmed.status_code == 422  # cannot be undone: a ticked box
    assert "Tick the box to confirm." in unconfirmed.get_data(as_text=True)
    unexplained = post(client, f"{base}/cancel", {"ground": "not_exported", "confirm": "y",
                                                  "version": str(consignment.version)})
    assert unexplained.status_code == 422  # and a reason for the exporter and the audit
    assert _fresh(Consignment, consignment.id).state == "issued"
    assert "Choose why the certificate is cancelled." in post(
        client, f"{base}/cancel", {"reason": "The buyer cancelled the shipment",
                                   "confirm": "y", "version": str(consignment.version)}
        ).get_data(as_text=True)
    assert post(client, f"{base}/cancel", {"reason": "The buyer cancelled the shipment",
                                           "ground": "not_exported", "confirm": "y",
                                           "version": str(consignment.version)}
                ).status_code == 302
    assert _fresh(Consignment, consignment.id).state == "cancelled"
    certificate = _fresh(ConsignmentCertificate, certificate.id)
    assert (certificate.cancellation_ground, certificate.cancellation_reason) == (
        "not_exported", "The buyer cancelled the shipment")
    page = client.get(base).get_data(as_text=True)
    assert "Replace a lost or damaged certificate" not in page  # nothing replaces it
    assert 'action="/inspector/consignments/' + str(consignment.id) + '/reopen"' not in page

    visitor = client.application.test_client()
    assert _status(visitor, certificate) == "Cancelled"
    address = f"/verify/consignment/{certificate.number}/{certificate.verification_code}"
    verify = visitor.get(address).get_data(as_text=True)
    assert "cancelled this certificate on" in verify
    assert "the goods it covers were not exported." in verify
    assert "The buyer cancelled the shipment" not in verify  # the exporter's business
    post(visitor, "/language", {"locale": "zh"})
    g.pop("_flask_babel", None)  # the test's application context outlives the requests
    chinese = visitor.get(address).get_data(as_text=True)
    assert "所涉货物未出口" in chinese.split('id="cancellation">')[1].split("</span>")[0]
    g.pop("_flask_babel", None)
    assert db.session.scalar(select(Notification).where(
        Notification.user_id == exporter.id,
        Notification.kind == "consignment_cancelled",
        Notification.message.contains("on the ground that the goods are not exported: The "
                                      "buyer cancelled the shipment")))

    login(client, exporter.email)
    mine = client.get(f"/exporter/consignments/{consignment.id}").get_data(as_text=True)
    assert "The buyer cancelled the shipment" in mine
    said = mine.split(f'id="cancellation-public-{certificate.id}">')[1].split("</span>")[0]
    assert said.endswith("the goods it covers were not exported.")  # what customs read
    login(client, make_user("registrar").email)
    page = client.get(f"/registrar/registrations/{registration.id}").get_data(as_text=True)
    status = page.split(f'id="consignment-certificate-{certificate.id}-status">')[1]
    assert status.startswith("Cancelled")
    quantities = page.split("Net quantity certified per product and year")[1].split(
        "</table>")[0]
    assert "kilograms" not in quantities  # its goods did not leave: not counted


def test_a_corrected_draft_withdrawn_cancels_its_certificate(ctx, client):
    exporter, _inspector, _registration, consignment, certificate = _issued()
    base = f"/exporter/consignments/{consignment.id}"
    consignment = _corrected_by(client, exporter, consignment)
    page = client.get(base).get_data(as_text=True)
    assert "A certificate already issued for it is cancelled" in page  # the box's consequence
    assert "Its certificate issued is cancelled with it" in page.replace("&#39;", "'")
    assert post(client, f"{base}/withdraw", {"reason": "The buyer postponed the shipment",
                                             "version": str(consignment.version),
                                             "confirm": "y"}).status_code == 302
    certificate = _fresh(ConsignmentCertificate, certificate.id)
    visitor = client.application.test_client()
    assert _status(visitor, certificate) == "Cancelled"
    verify = visitor.get(f"/verify/consignment/{certificate.number}/"
                         f"{certificate.verification_code}").get_data(as_text=True)
    assert "its exporter withdrew the consignment" in verify
    assert "postponed" not in verify  # the exporter's words stay in the audit trail
    assert _fresh(ConsignmentCertificate, certificate.id).cancellation_ground == "withdrawn"
    page = client.get(base).get_data(as_text=True)
    assert "Being corrected" not in page  # it was said beside "Cancelled"
    assert re.search(r'<span id="cancellation-\d+"> \(on [^<]+, when the consignment was '
                     r'withdrawn\)</span>', page)
    exporter.locale = "zh"  # the same line in Chinese takes full-width brackets
    db.session.commit()
    g.pop("_flask_babel", None)  # the test's application context outlives the requests
    chinese = client.get(base).get_data(as_text=True)
    assert re.search(r'<span id="cancellation-\d+">（[^<(]+）</span>', chinese)


def test_a_correction_begun_closes_the_way_to_a_same_data_replacement(ctx, client):
    """A second tab's "replace a lost certificate" issued one while the consignment was being
    corrected: a valid certificate of the data being changed."""
    _exporter, inspector, _registration, consignment, first = _issued()
    base = f"/inspector/consignments/{consignment.id}"
    login(client, inspector.email)
    assert post(client, f"{base}/reopen", {"reason": "Dose was 3 g/m³, not 2", "confirm": "y",
                                           "version": str(consignment.version)}
                ).status_code == 302
    consignment = _fresh(Consignment, consignment.id)
    assert consignment.deadline >= local_today()  # counted again: it was long past
    stale = post(client, f"{base}/replace", {"reason": "Paper damaged in transit",
                                             "confirm": "y"})
    assert stale.status_code == 422
    assert "is being corrected" in stale.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(ConsignmentCertificate)) == 1


def test_no_correction_begins_under_a_suspended_registration(ctx, client):
    """The reopened consignment could then not be issued, stuck halfway, and the page had
    not said why."""
    exporter, inspector, registration, consignment, _first = _issued()
    registration.status, registration.suspended_from = "suspended", local_today()
    db.session.commit()
    for who, path in ((inspector, f"/inspector/consignments/{consignment.id}/reopen"),
                      (exporter, f"/exporter/consignments/{consignment.id}/request_correction")):
        login(client, who.email)
        refused = post(client, path, {"reason": "Dose was 3 g/m³, not 2", "confirm": "y",
                                      "version": str(consignment.version)})
        assert refused.status_code == 422
        assert "is suspended since" in refused.get_data(as_text=True)
        assert _fresh(Consignment, consignment.id).state == "issued"


def test_a_reopened_consignment_refused_cancels_its_certificate(ctx, client):
    """Refused after a reopening, it kept its certificate valid for good: the consignment was
    closed, the public page said "Valid", and nothing could cancel it any more."""
    exporter, inspector, _registration, consignment, certificate = _issued()
    base = f"/inspector/consignments/{consignment.id}"
    login(client, inspector.email)
    assert post(client, f"{base}/reopen", {"reason": "Dose was 3 g/m³, not 2", "confirm": "y",
                                           "version": str(consignment.version)}
                ).status_code == 302
    consignment = _fresh(Consignment, consignment.id)
    page = client.get(base).get_data(as_text=True)
    assert "A certificate already issued for it is cancelled." in page  # the box's consequence
    assert post(client, f"{base}/refuse", {"reason": "Live insects found at the border",
                                           "confirm": "y", "version": str(consignment.version)}
                ).status_code == 302
    assert _fresh(Consignment, consignment.id).state == "refused"
    visitor = client.application.test_client()
    assert _status(visitor, certificate) == "Cancelled"
    verify = visitor.get(f"/verify/consignment/{certificate.number}/"
                         f"{certificate.verification_code}").get_data(as_text=True)
    assert "was refused at its new inspection." in verify
    assert "Live insects found at the border" not in verify  # the exporter reads it
    assert _fresh(ConsignmentCertificate, certificate.id).cancellation_ground == "refused"
    page = client.get(base).get_data(as_text=True)
    assert "Being corrected" not in page


def test_under_a_suspended_registration_the_page_says_no_correction_before_the_form(ctx,
                                                                                   client):
    """The form took a reason and a ticked box, and only then said the registration was
    suspended."""
    from certtrack.services.inputs import StatusChangeInput

    exporter, _inspector, registration, consignment, _certificate = _issued()
    status_changes.change_status(
        make_user("registrar"), registration, "suspend",
        StatusChangeInput.from_mapping({"authority": "gacc", "reason": "Site audit by GACC",
                                        "suspended_from": local_today()}))
    login(client, exporter.email)
    base = f"/exporter/consignments/{consignment.id}"
    page = client.get(base).get_data(as_text=True)
    barred = re.search(r'id="correction-barred">(.*?)</div>', page, re.S)
    assert barred is not None
    assert "No corrected certificate can be asked for now" in barred.group(1)
    assert "suspended" in barred.group(1)
    assert f'action="{base}/request_correction"' not in page
