"""Bounds of a request: the id converter, page numbers, NUL bytes (docs/security.md item 12).

Every route names its ids as `<id:name>`: a number outside 1 .. 2^31 - 1 (the PostgreSQL
INTEGER of every primary key) is no row of ours, so the URL does not match and the answer is
404 before any query runs. `?page=` goes through page_number() with the same rule.
"""

import json

from flask import abort, request
from werkzeug.exceptions import BadRequest
from werkzeug.routing import IntegerConverter

from certtrack.domain.bounds import MAX_ID, MAX_PAGE, has_control_characters


class IdConverter(IntegerConverter):
    """`<id:name>`: a positive integer that fits an INTEGER primary key, else no match (404)."""

    def __init__(self, url_map, *args, **kwargs):
        kwargs.setdefault("min", 1)
        kwargs.setdefault("max", MAX_ID)
        super().__init__(url_map, *args, **kwargs)


def id_parameter_schema(converter) -> dict:
    """The OpenAPI schema of an `<id:…>` path parameter."""
    return {"type": "integer", "minimum": converter.min, "maximum": converter.max}


def id_value(raw: str | None) -> int | None:
    """`raw` as the id of a row (ASCII digits, 1 .. MAX_ID), else None."""
    if not raw or not raw.isascii() or not raw.isdigit() or len(raw) > len(str(MAX_ID)):
        return None
    value = int(raw)
    return value if 1 <= value <= MAX_ID else None


def page_number(name: str = "page") -> int:
    """The `?page=` of the request: 1 when absent; 404 when not a whole number within
    1 .. MAX_PAGE (a page past the last one is an empty page, as before)."""
    raw = request.args.get(name)
    if raw is None or raw == "":
        return 1
    if not raw.isascii() or not raw.isdigit() or len(raw) > len(str(MAX_PAGE)):
        abort(404)
    page = int(raw)
    if not 1 <= page <= MAX_PAGE:
        abort(404)
    return page


def _strings(value):
    """Every string inside a JSON document (keys and values)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _unstorable(text: str) -> bool:
    """A lone surrogate ("\\ud800" in JSON), which no UTF-8 column can hold."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _json_document():
    """The request's JSON body, None when it is not JSON; UnreadableInput when Python cannot
    read it at all, past the JSON syntax the API's parser answers itself: nested beyond the
    recursion limit, an integer of more than 4,300 digits (these answered 500)."""
    try:
        return json.loads(request.get_data(cache=True))
    except (json.JSONDecodeError, UnicodeDecodeError):  # bad JSON: said by the API's parser
        return None
    except (ValueError, RecursionError) as error:
        raise UnreadableBody() from error


def _carries_nul() -> bool:
    if "\x00" in request.path:
        return True
    for source in (request.args, request.form):
        for key, values in source.lists():
            if "\x00" in key or any("\x00" in value for value in values):
                return True
    if any("\x00" in (upload.filename or "") for upload in request.files.values()):
        return True
    if request.is_json:
        try:
            strings = list(_strings(_json_document()))
        except RecursionError as error:  # deep, though readable
            raise UnreadableBody() from error
        if any("\x00" in text for text in strings):
            return True
        if any(_unstorable(text) for text in strings):
            raise UnreadableBody()
    return False


class UnreadableInput(BadRequest):
    """400 for a NUL byte or a control character where none may be: its page says so, not
    that a form expired (the other 400 of the pages)."""


class UnreadableBody(BadRequest):
    """400 for a JSON body that holds a lone surrogate or that Python cannot read (nested too
    deep, an integer too long): they answered 500. The API says "The request could not be
    read"; a page, that the request could not be understood."""


def refuse_hostile_input():
    """400 for any request with a NUL byte in its path, query, form, file names or JSON (no
    column stores it: PostgreSQL refuses it in text, and no honest input has one), a lone
    surrogate in its JSON, a JSON body Python cannot read (_json_document), or with a
    control character in `next` (a header injection in the redirect after sign-in)."""
    if _carries_nul():
        raise UnreadableInput()
    targets = request.args.getlist("next") + request.form.getlist("next")
    if any(has_control_characters(target) for target in targets):
        raise UnreadableInput()
