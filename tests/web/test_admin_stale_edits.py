"""Two administrators edit the same row from pages loaded at the same time: the second save was
stored over the first with "saved", and the first change was gone. It is now refused with what
the second typed kept on the page; saving again from that page is then a choice."""

import html
import re

import pytest
from sqlalchemy import select

from certtrack.extensions import db
from certtrack.models import GaccCategory, LabLimit, MarketAccess, User

from factories import make_user
from forms import login, post

pytestmark = pytest.mark.engine  # run on PostgreSQL too (conftest.py)

KEPT = "What you typed is kept below and was not saved: saving it again replaces that change."
STALE = "Someone else saved this record after you opened it."


@pytest.fixture
def admin(ctx, client):
    user = make_user("admin", "root@example.kz")
    login(client, user.email)
    return user


def _loaded_version(client, url: str) -> str:
    page = client.get(url).get_data(as_text=True)
    return re.search(r'name="version" type="hidden" value="(\d+)"', page).group(1)


def _limit():
    return db.session.scalars(select(LabLimit).where(LabLimit.kind == "max")
                              .order_by(LabLimit.id)).first()


def _cases():
    """(url of the edit page, the form with one field changed to `text`, the stored value)."""
    def limit():
        row = _limit()
        body = {"value": "7", "unit": row.unit, "matrix": row.matrix, "products": row.products,
                "confidence": row.confidence, "required": "y" if row.required else ""}
        return (f"/admin/limits/{row.id}", lambda text: {**body, "source": text},
                lambda: db.session.get(LabLimit, row.id).source)

    def market():
        body = {"protocol_status": "in_force", "protocol_name": "Protocol on wheat",
                "protocol_date": "2015-09-10", "protocol_date_precision": "day",
                "accepted_regions": "", "confidence": "V"}
        return ("/admin/market-access/wheat", lambda text: {**body, "source": text},
                lambda: db.session.get(MarketAccess, ("wheat", "CN")).source)

    def listing():
        return ("/admin/renewal-list/meat",
                lambda text: {"on_list": "y", "source": text, "confidence": "S"},
                lambda: db.session.get(GaccCategory, "meat").renewal_list_source)

    def account():
        user = make_user("inspector", "aigerim@example.kz")
        body = {"role": "inspector", "committee": "phytosanitary", "regions": ["KZ-11"],
                "is_active": "y"}
        return (f"/admin/users/{user.id}", lambda text: {**body, "full_name": text},
                lambda: db.session.get(User, user.id).full_name)

    return {"limit": limit, "market access": market, "renewal list": listing,
            "account": account}


# The rows with an id name who saved them last, from the audit trail; a reference row keyed
# by its code says only that someone did.
NAMED = {"limit", "account"}


@pytest.mark.parametrize("case", sorted(_cases()))
def test_a_second_save_from_an_older_page_is_refused_and_keeps_what_was_typed(admin, client,
                                                                               case):
    url, form, stored = _cases()[case]()
    loaded = _loaded_version(client, url)
    colleague = client.application.test_client()
    login(colleague, make_user("admin", "dana@example.kz", full_name="Dana Seitova").email)
    first = post(colleague, url, {**form("First Change"), "version": loaded})
    assert first.status_code == 302, re.findall(r'class="error"[^>]*>([^<]*)', first.get_data(
        as_text=True))
    second = post(client, url, {**form("Second Change"), "version": loaded})
    assert second.status_code == 409
    page = html.unescape(second.get_data(as_text=True))
    assert KEPT in page and "Second Change" in page
    named = re.search(r"Dana Seitova saved this record after you opened this page, at "
                      r"\w{3} \d{1,2}, 20\d\d, \d{1,2}:\d\d\s[AP]M\.", page)
    assert (named is not None, STALE in page) == (case in NAMED, case not in NAMED)
    assert "Reload and try again" not in page  # reloading would lose what was typed
    now = re.search(r'name="version" type="hidden" value="(\d+)"', page).group(1)
    assert int(now) > int(loaded)
    db.session.expire_all()
    assert stored() == "First Change"

    again = post(client, url, {**form("Second Change"), "version": now})
    assert again.status_code == 302
    db.session.expire_all()
    assert stored() == "Second Change"


def test_a_sign_in_does_not_make_an_account_edit_stale(admin, client, app):
    """Only an administrator's edit moves an account's version: the person signing in while
    the page is open does not."""
    user = make_user("inspector", "aigerim@example.kz")
    url = f"/admin/users/{user.id}"
    loaded = _loaded_version(client, url)
    login(app.test_client(), user.email)
    response = post(client, url, {"full_name": "Aigerim N.", "role": "inspector",
                                  "committee": "phytosanitary", "regions": ["KZ-11"],
                                  "is_active": "y", "version": loaded})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(User, user.id).full_name == "Aigerim N."
