"""The one-time key of a creation form: the form sent twice (the browser's Back button and the
form sent again, a double click on a slow connection) creates one draft, establishment, lot or
API token, not two.

The key is made when the form is shown and stored with what it created, unique per owner (a
constraint of the table): a second sending finds the first one's record, and one of two racing
sendings fails to insert it. A form without a key (a page older than the keys, the
API, a script) creates as before.
"""

import secrets
from collections.abc import Iterator
from contextlib import contextmanager

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from certtrack.extensions import db
from certtrack.models import (
    ApiToken,
    Application,
    Consignment,
    ConsignmentLot,
    Establishment,
    User,
)
from certtrack.services.errors import Conflict

MAX_LENGTH = 64  # the column's
KINDS = {"application": Application, "consignment": Consignment,
         "establishment": Establishment, "lot": ConsignmentLot, "token": ApiToken}


def new_key() -> str:
    """A fresh, unguessable key for a creation form being shown (32 characters)."""
    return secrets.token_urlsafe(24)


def usable(key: str | None) -> str | None:
    """The key as stored, or None for a form without one (or with one no form of ours made)."""
    key = (key or "").strip()
    return key if 0 < len(key) <= MAX_LENGTH else None


def _owned(kind: str, actor: User, parent) -> tuple | None:
    """The conditions that hold a key to what its owner may reach, as the key's constraint
    does: a draft to the person who created it, in their enterprise; an establishment to the
    enterprise; a lot to its consignment (`parent`, loaded with its owner checked); an API
    token to its owner. None when the actor has nothing of the kind."""
    model = KINDS[kind]
    if kind == "lot":
        return (model.consignment_id == parent.id,)
    if kind == "token":
        return (model.user_id == actor.id,)
    if actor.enterprise_id is None:
        return None
    if kind == "establishment":
        return (model.enterprise_id == actor.enterprise_id,)
    return model.created_by_id == actor.id, model.enterprise_id == actor.enterprise_id


def created_with(kind: str, actor: User, key: str | None, parent=None):
    """Take a kind ("application", "consignment", "establishment", "lot", "token"), a person,
    a form's key and, for a lot, its consignment; return what that person's form created with
    that key, or None. Another person's key leads to nothing: neither their record nor a sign
    that it exists."""
    key = usable(key)
    owned = _owned(kind, actor, parent) if key is not None else None
    if owned is None:
        return None
    model = KINDS[kind]
    return db.session.scalar(select(model).where(*owned, model.creation_key == key))


@contextmanager
def created_once(kind: str, actor: User, key: str | None, parent=None) -> Iterator[None]:
    """Around the transaction that creates a record of `kind` with `key`: a racing sending of
    the same form that inserted its record first makes this one fail on the key's constraint.

    :raise Conflict: the record was created with this key meanwhile (created_with finds it).
    """
    try:
        yield
    except IntegrityError:
        if created_with(kind, actor, key, parent) is None:
            raise
        raise Conflict(_("This form was sent twice: what its first sending created is kept, "
                         "and nothing was created again.")) from None
