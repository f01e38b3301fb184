"""Guidance for a first-time exporter: the submit checklist whose items lead to where each is
fixed."""

import html
import re

from sqlalchemy import update

from certtrack.extensions import db
from certtrack.models import Application, Document

from factories import make_exporter_with_application
from forms import login

TAGS = re.compile(r"<[^>]+>")


def _signed_in(client, complete=True):
    user, _enterprise, _establishment, application = make_exporter_with_application(
        complete=complete)
    login(client, user.email)
    return user, application


def _text(fragment: str) -> str:
    return " ".join(html.unescape(TAGS.sub(" ", fragment)).split())


def _selected(page: str, select_id: str) -> list[str]:
    match = re.search(rf'<select[^>]*id="{select_id}"[^>]*>(.*?)</select>', page, re.S)
    return re.findall(r'<option selected value="([^"]*)"|<option value="([^"]*)" selected',
                      match.group(1)) if match else []


def _selected_value(page: str, select_id: str) -> str | None:
    found = [a or b for a, b in _selected(page, select_id)]
    return found[0] if found else None


# The submit checklist ---------------------------------------------------------------------------


def _checklist(page: str) -> dict[str, str]:
    """The checklist's items: their words, and where each leads."""
    card = re.search(r'<ul class="missing">(.*?)</ul>', page, re.S)
    return {_text(words): html.unescape(href) for href, words in re.findall(
        r'<li><a href="([^"]+)">(.*?)</a></li>', card.group(1) if card else "")}


def _ids(page: str) -> set[str]:
    return set(re.findall(r'\sid="([^"]+)"', page))


def test_each_missing_item_links_to_where_it_is_fixed(ctx, client):
    _user, application = _signed_in(client, complete=False)
    db.session.execute(update(Application).where(Application.id == application.id)
                       .values(staff_count=None))
    db.session.commit()
    url = f"/exporter/applications/{application.id}"
    page = client.get(url).get_data(as_text=True)
    checklist = _checklist(page)
    assert checklist["At least one product with its annual volume."] == "#products"
    assert checklist["Document: HACCP plan or certificate."] == "#required-haccp"
    assert checklist["Questionnaire: Staff."] == f"{url}/edit#staff_count"
    on_page = _ids(page)
    for address in checklist.values():
        if address.startswith("#"):
            assert address[1:] in on_page, address
    assert "staff_count" in _ids(client.get(f"{url}/edit").get_data(as_text=True))


def test_a_rejected_document_is_missing_again_and_its_row_says_so(ctx, client):
    _user, application = _signed_in(client)
    url = f"/exporter/applications/{application.id}"
    assert _checklist(client.get(url).get_data(as_text=True)) == {}
    db.session.execute(update(Document).where(Document.document_type_code == "haccp")
                       .values(review_status="rejected"))
    db.session.commit()
    page = client.get(url).get_data(as_text=True)
    assert _checklist(page) == {"Document: HACCP plan or certificate.": "#required-haccp"}
    row = re.search(r'<li id="required-haccp">(.*?)</li>', page, re.S).group(1)
    assert "rejected: upload a new version" in row


def test_the_upload_link_of_a_missing_document_chooses_its_type(ctx, client):
    _user, application = _signed_in(client, complete=False)
    url = f"/exporter/applications/{application.id}"
    page = client.get(url).get_data(as_text=True)
    row = re.search(r'<li id="required-haccp">(.*?)</li>', page, re.S).group(1)
    link = html.unescape(re.search(r'href="([^"]+)"', row).group(1))
    assert link == f"{url}?document=haccp#document_type"
    upload = client.get(link).get_data(as_text=True)
    assert _selected_value(upload, "document_type") == "haccp"
    assert _selected_value(client.get(f"{url}?document=../etc").get_data(as_text=True),
                           "document_type") != "../etc"
