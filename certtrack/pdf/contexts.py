"""The shapes of the PDF contexts (plain values only) and the check that enforces them."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any, NotRequired, TypedDict

# Exact types only: a str subclass such as markupsafe.Markup would bypass autoescaping, and an
# ORM object, a lazy translation string or a Decimal has no business in a print template.
_SCALARS = (str, int, float, bool, type(None), dt.date, dt.datetime)
_CONTAINERS = (list, tuple, dict)


class Names(TypedDict, total=False):
    """One name in several languages; a missing or empty language is left out of the print."""

    kk: str
    ru: str
    en: str
    zh: str


class Authority(TypedDict):
    name: Names  # the committee, e.g. Committee of Veterinary Control and Supervision
    parent: Names  # the ministry it belongs to; empty when the ministry itself issues
    address: NotRequired[Names]  # (a str in documents made before addresses had languages)
    contact: NotRequired[str]
    place: NotRequired[Names]  # place of issue


class Product(TypedDict):
    hs_code: str
    name: Names


class CertificateContext(TypedDict):
    """Everything a certificate of export eligibility shows (docs/domain.md §7).

    ``verification_url`` is what the QR code carries: the public verification page with the
    certificate number and its unguessable verification code. Dates are ``datetime.date``.
    """

    schema_version: NotRequired[int]  # docs/schemas/certificate.schema.json (2); absent: 1
    number: str  # KZ-CN-2026-000123
    verification_url: str
    issued_on: dt.date
    valid_from: dt.date  # the registration's validity
    valid_to: dt.date
    listed_on: NotRequired[dt.date]  # GACC registration date
    legal_basis: NotRequired[Names]  # GACC Decree No. 248 or Order No. 280
    exporting_country: NotRequired[Names]
    addressee: NotRequired[Names]  # GACC
    enterprise: dict  # {"name": Names, "bin": str, "legal_address": str}
    establishment: dict  # {"name": Names, "address": Names, "type": Names,
    #                       "approval_number": str (optional)}
    region: dict  # {"code": "KZ-33", "name": Names}
    category: NotRequired[dict]  # GACC product category {"code": str, "name": Names}
    products: list[Product]
    china_registration_number: str  # CKAZ + 14 characters
    authority: Authority
    officer: dict  # {"name": Names, "position": Names} (schema 1: "name" a str)
    replaces: NotRequired[str]  # number of the certificate this one replaces


class DossierEnterprise(TypedDict):
    """One enterprise of a recommendation dossier, as recommended to GACC."""

    name: Names
    bin: str
    legal_address: str
    representative: str
    contact: str
    establishment: dict  # {"name": Names, "type": str, "address": Names, "region": Names,
    #                       "approval_number": str, "capacity": str}
    authority: NotRequired[Names]  # the committee that concluded the application
    application: dict  # {"number": str, "kind": str, "category": Names, "submitted_on": date,
    #                     "concluded_on": date}
    products: list[Product]  # plus optional "volume": str
    questionnaire: list[dict]  # [{"question": str, "answer": str}]
    inspection: dict  # {"mode": str, "date": date, "inspectors": [str], "summary": str,
    #   "findings": [{"ref", "grade" (critical/major/minor), "requirement", "description",
    #                 "status"}],
    #   "corrective_actions": [{"finding", "action", "due_on": date, "closed_on": date|None,
    #                           "status"}]}
    lab_results: list[dict]  # [{"sample", "laboratory", "tested_on": date, "parameter"
    #   ("lead · 铅"), "value" (as reported, str), "unit", "limit" (as printed, e.g.
    #   "≤ 1000 µg/kg"), "verdict" (compliant/non_compliant/not_evaluated), "reason", "source",
    #   optional "source_zh" (the citation in Chinese)}]
    documents: list[dict]  # [{"title", "filename", "size": int, "sha256", "uploaded_on": date}]
    timeline: list[dict]  # the decisions: [{"at": datetime, "actor", "action", "from_state",
    #                         "to_state", "comment"}], words "English · 中文", never codes
    conclusion: str


class DossierContext(TypedDict):
    """A recommendation dossier for one application or a GACC batch (GACC Decree 248, Art. 8)."""

    reference: str  # the authority's outgoing reference
    date: dt.date
    batch: NotRequired[str]  # GACC batch reference, when the dossier covers a batch
    authority: Authority
    addressee: dict  # {"name", "department", "address"} and their "_zh" (optional)
    subject: str
    subject_zh: NotRequired[str]
    letter: list[str]  # paragraphs of the recommendation letter
    letter_zh: NotRequired[list[str]]  # the letter in Chinese
    signatory: dict  # {"name": Names, "position": Names} (officials.signer)
    enterprises: list[DossierEnterprise]


def check_plain(value: Any, path: str = "context") -> None:
    """Raise TypeError unless ``value`` is made only of plain values.

    Plain means exactly str, int, float, bool, None, date and datetime, inside lists, tuples
    and dicts with str keys. Subclasses are refused on purpose (``Markup`` is a str subclass
    that autoescaping would trust). Changes nothing; the message names the offending path.
    """
    kind = type(value)
    if kind in _SCALARS:
        return
    if kind not in _CONTAINERS:
        raise TypeError(f"{path}: {kind.__name__} is not a plain value")
    if kind is dict:
        for key, item in value.items():
            if type(key) is not str:
                raise TypeError(f"{path}: key {key!r} is not a str")
            check_plain(item, f"{path}.{key}")
        return
    for index, item in enumerate(value):
        check_plain(item, f"{path}[{index}]")


def require_keys(context: dict, keys: tuple[str, ...], kind: str) -> None:
    """Raise KeyError naming every key of ``keys`` missing from ``context``."""
    missing = [key for key in keys if key not in context]
    if missing:
        raise KeyError(f"{kind} context lacks: {', '.join(missing)}")


def _json_default(value: Any) -> str:
    if isinstance(value, dt.date):  # datetime is a date too
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def to_json(context: dict) -> bytes:
    """Serialise a checked context: sorted keys, UTF-8 (not escaped), ISO dates, indented.

    Raises ValueError for a NaN or infinite float, which JSON cannot carry.
    """
    text = json.dumps(context, default=_json_default, ensure_ascii=False, sort_keys=True,
                      indent=2, allow_nan=False)
    return (text + "\n").encode("utf-8")
