"""The one-time key of a creation form: the form sent twice (the browser's Back button and the
form sent again, a double click on a slow connection) creates one draft, not two.

The key is made when the form is shown and stored with the draft it created, unique per person
(a constraint of the draft's table): a second sending finds the first one's draft, and one of
two racing sendings fails to insert it. A form without a key (a page older than the keys, the
API, a script) creates as before.
"""

import secrets
from collections.abc import Iterator
from contextlib import contextmanager

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from certtrack.extensions import db
from certtrack.models import Application, Consignment, User
from certtrack.services.errors import Conflict

MAX_LENGTH = 64  # the column's
DRAFTS = {"application": Application, "consignment": Consignment}


def new_key() -> str:
    """A fresh, unguessable key for a creation form being shown (32 characters)."""
    return secrets.token_urlsafe(24)


def usable(key: str | None) -> str | None:
    """The key as stored, or None for a form without one (or with one no form of ours made)."""
    key = (key or "").strip()
    return key if 0 < len(key) <= MAX_LENGTH else None


def created_with(kind: str, actor: User, key: str | None):
    """Take a kind of draft ("application", "consignment"), a person and a form's key; return
    the draft that person created with that key in their enterprise, or None. Another
    person's key leads to nothing: neither their draft nor a sign that it exists."""
    key = usable(key)
    if key is None or actor.enterprise_id is None:
        return None
    model = DRAFTS[kind]
    return db.session.scalar(select(model).where(
        model.created_by_id == actor.id, model.enterprise_id == actor.enterprise_id,
        model.creation_key == key))


@contextmanager
def created_once(kind: str, actor: User, key: str | None) -> Iterator[None]:
    """Around the transaction that creates a draft with `key`: a racing sending of the same
    form that inserted its draft first makes this one fail on the key's constraint.

    :raise Conflict: the draft was created with this key meanwhile (created_with finds it).
    """
    try:
        yield
    except IntegrityError:
        if created_with(kind, actor, key) is None:
            raise
        raise Conflict(_("This form was sent twice: the first sending created the draft, "
                         "and no second draft was made.")) from None
