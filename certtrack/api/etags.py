"""ETags of versioned objects and the If-Match check of writes (412 on a stale write)."""

from flask import request

from certtrack.api.problems import problem
from certtrack.services.transaction import stale_message


def etag_of(kind: str, obj) -> str:
    """A strong ETag from the object's version column: it changes with every write."""
    return f'"{kind}-{obj.id}-v{obj.version}"'


def stale(kind: str, obj):
    """A 412 problem when If-Match names another version than the current one, else None.

    Without If-Match the write goes ahead; the service's own version check still refuses a
    write that lost a race (409).
    """
    wanted = request.headers.get("If-Match")
    if wanted is None or wanted.strip() == "*":
        return None
    current = etag_of(kind, obj)
    tags = {tag.strip().removeprefix("W/") for tag in wanted.split(",")}
    if current in tags:
        return None
    return problem(412, stale_message(), headers={"ETag": current})


def with_etag(response, kind: str, obj):
    """`response` with the object's ETag."""
    response.headers["ETag"] = etag_of(kind, obj)
    return response
