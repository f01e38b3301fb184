"""A document version uploaded after the completeness check (with the corrective actions) is
read before a positive conclusion: it waited "pending" for no one, and the dossier to GACC
listed it beside the inspector's positive conclusion."""

import html
import io

from sqlalchemy import select

from certtrack.extensions import db
from certtrack.models import Document
from certtrack.services import conclusions, documents

from factories import PDF_BYTES, make_submitted_application, make_user, move_to_state
from forms import login, post


def test_a_version_uploaded_with_the_corrective_actions_is_reviewed_before_concluding(
        ctx, client):
    exporter, application = make_submitted_application(category="feed",
                                                        product="rapeseed_meal")
    for document in application.documents:  # the completeness check, passed
        document.review_status = "accepted"
    move_to_state(application, "corrective_actions")
    newer = documents.upload_document(exporter, application, "haccp",
                                      io.BytesIO(PDF_BYTES + b"% revised plan\n"), "haccp-2.pdf")
    assert (newer.version, newer.review_status) == (2, "pending")
    move_to_state(application, "inspected")
    check = conclusions.check_conclusion(application)
    assert not check.allows_positive
    assert any(message.endswith(", version 2, has not been reviewed: accept or reject it "
                                "under “Completeness check”.") for message in check.messages)

    inspector = make_user("inspector")  # feed: the phytosanitary committee, in KZ-11
    login(client, inspector.email)
    base = f"/inspector/applications/{application.id}"
    page = html.unescape(client.get(base).get_data(as_text=True))
    assert 'id="completeness"' in page
    assert f'action="{base}/documents/{newer.id}/review"' in page
    assert post(client, f"{base}/documents/{newer.id}/review",
                {"decision": "accepted", "comment": ""}).status_code == 302
    db.session.expire_all()
    assert db.session.scalar(select(Document.review_status).where(
        Document.id == newer.id)) == "accepted"
    assert conclusions.check_conclusion(application).allows_positive
    page = client.get(base).get_data(as_text=True)
    assert 'id="completeness"' not in page  # nothing left to decide after the check


def test_a_version_rejected_while_inspected_does_not_ask_for_an_upload_it_cannot_take(
        ctx, client):
    """The exporter read "rejected: upload a new version" with no upload form: an inspected
    application takes no document until corrective actions are required."""
    exporter, application = make_submitted_application(category="feed",
                                                        product="rapeseed_meal")
    for document in application.documents:
        document.review_status = "accepted"
    move_to_state(application, "corrective_actions")
    newer = documents.upload_document(exporter, application, "haccp",
                                      io.BytesIO(PDF_BYTES + b"% revised plan\n"), "haccp-2.pdf")
    move_to_state(application, "inspected")
    newer.review_status = "rejected"
    db.session.commit()
    login(client, exporter.email)
    page = client.get(f"/exporter/applications/{application.id}").get_data(as_text=True)
    item = page.split('id="required-haccp">')[1].split("</li>")[0]
    assert "Rejected" in item and "upload a new version" not in item
