"""ETags of versioned objects and the If-Match check of writes (412 on a stale write)."""

import hashlib

from flask import json, request

from certtrack.api.problems import problem
from certtrack.services.transaction import stale_message


def etag_of(kind: str, obj, shown: dict) -> str:
    """A strong ETag of the object as the API shows it (`shown`, the serialized body): its
    version column, which every write of the object changes, and a digest of the body, which
    changes with whatever else the body shows (a product line, a region moved with the
    establishment, the actions allowed now)."""
    digest = hashlib.sha256(json.dumps(shown, sort_keys=True).encode()).hexdigest()[:16]
    return f'"{kind}-{obj.id}-v{obj.version}-{digest}"'


def stale(current: str):
    """A 412 problem when If-Match names another ETag than `current`, else None.

    Without If-Match the write goes ahead; the service's own version check still refuses a
    write that lost a race (409).
    """
    wanted = request.headers.get("If-Match")
    if wanted is None or wanted.strip() == "*":
        return None
    tags = {tag.strip().removeprefix("W/") for tag in wanted.split(",")}
    if current in tags:
        return None
    return problem(412, stale_message(), headers={"ETag": current})
