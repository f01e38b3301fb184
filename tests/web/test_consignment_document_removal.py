"""A supporting document of a draft consignment is removed only once its removal is confirmed,
as a lot is: one click on "Remove" deleted it."""

import io

from certtrack.extensions import db
from certtrack.models import Consignment

from consignment_factories import make_consignment
from forms import login, post


def _documents(consignment) -> list[str]:
    db.session.expire_all()
    return [d.original_name for d in db.session.get(Consignment, consignment.id).documents]


def test_a_document_is_removed_only_once_its_removal_is_confirmed(ctx, client):
    exporter, _inspector, _registration, consignment = make_consignment("phyto", submit=False)
    login(client, exporter.email)
    detail = f"/exporter/consignments/{consignment.id}"
    post(client, f"{detail}/documents", {
        "kind": "contract", "file": (io.BytesIO(b"%PDF-1.4\n%%EOF\n"), "doc.pdf")},
        content_type="multipart/form-data")
    db.session.refresh(consignment)
    (document,) = consignment.documents
    url = f"{detail}/documents/{document.id}/delete"
    page = client.get(detail).get_data(as_text=True)
    assert "the file again" in page
    unconfirmed = post(client, url, {})
    assert unconfirmed.status_code == 422
    text = unconfirmed.get_data(as_text=True)
    assert "Tick the box to confirm." in text and '<details class="destructive" open>' in text
    assert _documents(consignment) == ["doc.pdf"]
    removed = post(client, url, {"confirm": "y"})
    assert removed.status_code == 302
    assert "The document was removed." in client.get(removed.location).get_data(as_text=True)
    assert _documents(consignment) == []
