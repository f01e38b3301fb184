"""Load the reference files into their tables (idempotent) and read them back for the app."""

import csv
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from functools import cache, partial
from pathlib import Path
from time import monotonic

from flask import current_app
from sqlalchemy import select

from certtrack.domain.calendar import WorkingCalendar, kazakh_calendar
from certtrack.extensions import db
from certtrack.models import (
    DocumentType,
    GaccCategory,
    Holiday,
    LabLimit,
    LabParameter,
    LabResult,
    Product,
    QuarantineRequirement,
    Region,
    RequiredDocument,
)
from certtrack.services import market_access
from certtrack.services.audit import ensure_audit_head
from certtrack.services.catalogue import product_matches
from certtrack.services.transaction import transaction

_CALENDAR_KEY = "certtrack.working_calendar"
# How long a process keeps the holiday table it read: `load-reference`, run in a process of its
# own, reaches the web servers and the worker within this time, without a restart.
CALENDAR_TTL = 600.0
LANGUAGES = ("en", "ru", "kk", "zh")
NAMES = tuple(f"name_{language}" for language in LANGUAGES)
TRANSLATED = LANGUAGES[1:]  # the languages of a column suffixed _ru, _kk, _zh


def reference_dir() -> Path:
    """The folder holding the reference files shipped with the package."""
    return Path(__file__).resolve().parent.parent / "reference"


def _rows(folder: Path, name: str) -> Iterator[dict]:
    with open(folder / name, newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            yield {key: (value or "").strip() for key, value in row.items()}


def _names(row: dict) -> dict:
    return {key: row.get(key, "") for key in NAMES}


def _update(row, values: dict) -> bool:
    """Set the fields of `row` that differ from `values`; True when something changed."""
    changed = False
    for field, value in values.items():
        if getattr(row, field) != value:
            setattr(row, field, value)
            changed = True
    return changed


def _sync(model, key_fields: tuple[str, ...], rows: list[tuple[dict, dict]],
          delete_missing: bool = False) -> int:
    """Upsert (key, values) pairs by their natural key, reading the table once; with
    `delete_missing`, delete the rows the file no longer lists. A row an administrator edited
    (`edited_at` set, where the model has it) is kept as edited. Returns rows changed."""
    existing = {tuple(getattr(row, f) for f in key_fields): row
                for row in db.session.scalars(select(model))}
    changed, wanted = 0, set()
    for key, values in rows:
        natural = tuple(key[f] for f in key_fields)
        wanted.add(natural)
        row = existing.get(natural)
        if row is None:
            db.session.add(model(**key, **values))
            changed += 1
        elif getattr(row, "edited_at", None) is None:
            changed += _update(row, values)
    if delete_missing:
        for natural, row in existing.items():
            if natural not in wanted and getattr(row, "edited_at", None) is None:
                db.session.delete(row)
                changed += 1
    return changed


def _load_categories(folder: Path) -> int:
    return _sync(GaccCategory, ("code",), [({"code": r["code"]}, {
        **_names(r), "committee": r["committee"],
        "source": r["source"], "confidence": r["confidence"],
    }) for r in _rows(folder, "gacc_categories.csv")])


def _load_renewal_list(folder: Path) -> int:
    """Set each category's place on GACC's Order 280 renewal list, unless an administrator
    edited it."""
    categories = {row.code: row for row in db.session.scalars(select(GaccCategory))}
    changed = 0
    for row in _rows(folder, "renewal_list_280.csv"):
        category = categories.get(row["gacc_category"])
        if category is None:
            raise ValueError(f"renewal_list_280.csv: unknown category {row['gacc_category']!r}")
        if category.renewal_list_edited_at is None:
            changed += _update(category, {"renewal_list_280": row["on_list"] == "1",
                                          "renewal_list_source": row["source"],
                                          "renewal_list_confidence": row["confidence"]})
    return changed


def _load_lab_parameters(folder: Path) -> int:
    return _sync(LabParameter, ("code",), [({"code": r["code"]}, {
        **_names(r), "source": r["source"], "confidence": r["confidence"],
    }) for r in _rows(folder, "lab_parameters.csv")])


def _load_quarantine_requirements(folder: Path) -> int:
    rows = [({"measure": r["measure"], "products": r["products"]}, {
        "kind": r["kind"], "value": Decimal(r["value"]) if r["value"] else None,
        "unit": r["unit"], "standard": r["standard"], "clause": r["clause"],
        "confidence": r["confidence"]}) for r in _rows(folder, "quarantine_requirements.csv")]
    return _sync(QuarantineRequirement, ("measure", "products"), rows, delete_missing=True)


def _load_products(folder: Path) -> int:
    return _sync(Product, ("code",), [({"code": r["code"]}, {
        **_names(r), "hs_code": r["hs_code"], "gacc_category_code": r["gacc_category"],
        "protocol_status": r["protocol_status"],
        "protocol_year": int(r["protocol_year"]) if r["protocol_year"] else None,
        "source": r["source"], "confidence": r["confidence"],
        "result_valid_days": int(r["result_valid_days"]) if r["result_valid_days"] else None,
        "result_validity_source": r["result_validity_source"],
    }) for r in _rows(folder, "products.csv")])


def _load_regions(folder: Path) -> int:
    return _sync(Region, ("code",), [({"code": r["code"]}, _names(r))
                                     for r in _rows(folder, "regions.csv")])


def _load_document_types(folder: Path) -> int:
    return _sync(DocumentType, ("code",), [
        ({"code": r["code"]}, {**_names(r), **{f"description_{lang}": r[f"description_{lang}"]
                                               for lang in ("en", "ru", "kk", "zh")}})
        for r in _rows(folder, "document_types.csv")])


def _load_required_documents(folder: Path) -> int:
    rows = [({"gacc_category": r["gacc_category"], "kind": r["kind"],
              "document_type_code": r["document_type"]}, {})
            for r in _rows(folder, "required_documents.csv")]
    return _sync(RequiredDocument, ("gacc_category", "kind", "document_type_code"), rows,
                 delete_missing=True)


def _load_holidays(folder: Path) -> int:
    rows = [({"day": date.fromisoformat(r["date"])}, {
        "kind": r["kind"], "name_en": r["name_en"], "name_ru": r.get("name_ru", ""),
        "source": r["source"]}) for r in _rows(folder, "holidays.csv")]
    return _sync(Holiday, ("day",), rows, delete_missing=True)


@cache
def standard_citations() -> dict[str, str]:
    """The sources the reference files give limits and quarantine requirements (as stored with
    a result: limit_source, or "standard, clause"), each mapped to the citation printed for a
    foreign authority: the standard and its clause (table, line), without the file's notes."""
    folder = reference_dir()
    citations = {}
    for row in _rows(folder, "limits.csv"):
        citation = f"{row['standard']}, {row['clause']}"
        citations[limit_source(row)] = citations[citation] = citation
    for row in _rows(folder, "quarantine_requirements.csv"):
        citation = f"{row['standard']}, {row['clause']}"
        citations[citation] = citation
    return citations


def limit_source(row: dict) -> str:
    """A limit's source as shown and stored: standard, clause (table, line) and any note."""
    source = f"{row['standard']}, {row['clause']}"
    return f"{source}; {row['note']}" if row.get("note") else source


def _limit_values(row: dict) -> dict:
    return {
        "parameter": row["parameter"], "parameter_code": row["parameter_code"],
        "matrix": row["matrix"],
        **{f"matrix_{language}": row[f"matrix_{language}"] for language in TRANSLATED},
        "products": row["products"],
        "kind": row["kind"], "value": Decimal(row["value"]) if row["value"] else None,
        "unit": row["unit"], "required": row["required"] == "1", "source": limit_source(row),
        "confidence": row["confidence"], "superseded_by_id": None}


def _supersede(replacing: dict[str, list[str]]) -> int:
    """Point the rows a newer row of the file replaces at it; returns rows changed."""
    by_key = {limit.reference_key: limit for limit in db.session.scalars(select(LabLimit))
              if limit.reference_key}
    changed = 0
    for key, old_keys in replacing.items():
        for old_key in old_keys:
            old = by_key.get(old_key)
            if old is not None and old.superseded_by_id != by_key[key].id:
                old.superseded_by_id = by_key[key].id
                changed += 1
    return changed


def _limit_rows(folder: Path) -> Iterator[dict]:
    """The rows of limits.csv, each with its parameter's English name (lab_parameters.csv)."""
    names = dict(db.session.execute(select(LabParameter.code, LabParameter.name_en)).all())
    for row in _rows(folder, "limits.csv"):
        if row["parameter_code"] not in names:
            raise ValueError(f"limits.csv: unknown parameter {row['parameter_code']!r}")
        yield {**row, "parameter": names[row["parameter_code"]]}


def _edited_translations(limit: LabLimit, row: dict) -> dict:
    """The matrix's translations from the file for a row an administrator edited: only when
    its English matrix is still the file's and it has none yet (a database older than them)."""
    if limit.matrix != row["matrix"] or any(getattr(limit, f"matrix_{language}")
                                            for language in TRANSLATED):
        return {}
    return {f"matrix_{language}": row[f"matrix_{language}"] for language in TRANSLATED}


def _link_parameters() -> int:
    """Point every limit, including the rows kept for older results and those an
    administrator edited, at the parameter whose English name it records."""
    codes = dict(db.session.execute(select(LabParameter.name_en, LabParameter.code)).all())
    changed = 0
    for limit in db.session.scalars(select(LabLimit)):
        code = codes.get(limit.parameter)
        if code is not None and limit.parameter_code != code:
            limit.parameter_code = code
            changed += 1
    return changed


def _load_limits(folder: Path) -> int:
    """Upsert limits by their key in the file: the parameter's English name and the matrix. A
    row an administrator edited keeps the edit; a row the file no longer lists is deleted only
    if unedited and no result refers to it."""
    limits = list(db.session.scalars(select(LabLimit)))
    by_key = {limit.reference_key: limit for limit in limits if limit.reference_key}
    by_pair = {(limit.parameter, limit.matrix): limit for limit in limits
               if not limit.reference_key}
    changed, wanted, replacing = 0, set(), {}
    for row in _limit_rows(folder):
        key = f"{row['parameter']}|{row['matrix']}"
        wanted.add(key)
        replacing[key] = [old.strip() for old in row.get("replaces", "").split(";")
                        if old.strip()]
        existing = by_key.get(key) or by_pair.get((row["parameter"], row["matrix"]))
        if existing is None:
            db.session.add(LabLimit(reference_key=key, **_limit_values(row)))
            changed += 1
        elif existing.edited_at is None:
            changed += _update(existing, {**_limit_values(row), "reference_key": key})
        else:
            changed += _update(existing, _edited_translations(existing, row))
    used = set(db.session.scalars(select(LabResult.limit_id).distinct()))
    for limit in limits:
        gone = limit.reference_key not in wanted
        if gone and limit.edited_at is None and limit.id not in used:
            db.session.delete(limit)
            changed += 1
    db.session.flush()
    changed += _link_parameters()
    return changed + _supersede({key: old for key, old in replacing.items() if old})


LOADERS = (
    ("GACC categories", _load_categories),
    ("Order 280 renewal list", _load_renewal_list),
    ("regions", _load_regions),
    ("products", _load_products),
    ("document types", _load_document_types),
    ("required documents", _load_required_documents),
    ("holidays", _load_holidays),
    ("laboratory parameters", _load_lab_parameters),
    ("laboratory limits", _load_limits),
    ("quarantine requirements", _load_quarantine_requirements),
    # Market access (protocols, crossings, protocol wording) reads its files the same way.
    *((label, partial(loader, rows=_rows, sync=_sync)) for label, loader in market_access.LOADERS),
)


def load_reference(folder: Path | None = None) -> dict[str, int]:
    """Bring the reference tables in line with the files; return rows changed per table.

    Running it twice changes nothing the second time. Commits once.
    """
    folder = folder or reference_dir()
    changed = {}
    with transaction():
        for label, loader in LOADERS:
            changed[label] = loader(folder)
            db.session.flush()
        ensure_audit_head()
    current_app.extensions.pop(_CALENDAR_KEY, None)
    return changed


def working_calendar() -> WorkingCalendar:
    """The working-day calendar: the holidays Kazakh law fixes, completed by the holiday table
    (Kurban Ait, the Government's transfers); cached per application for CALENDAR_TTL
    seconds, so that holidays loaded by another process count from then on."""
    cached = current_app.extensions.get(_CALENDAR_KEY)
    if cached is not None and monotonic() - cached[1] < CALENDAR_TTL:
        return cached[0]
    rows = db.session.execute(select(Holiday.day, Holiday.kind)).all()
    calendar = kazakh_calendar((day, kind) for day, kind in rows)
    current_app.extensions[_CALENDAR_KEY] = (calendar, monotonic())
    return calendar


def regions() -> list[Region]:
    """All regions, by code."""
    return list(db.session.scalars(select(Region).order_by(Region.code)))


def categories() -> list[GaccCategory]:
    """All GACC categories, by code."""
    return list(db.session.scalars(select(GaccCategory).order_by(GaccCategory.code)))


def document_types() -> list[DocumentType]:
    """All document types, by code."""
    return list(db.session.scalars(select(DocumentType).order_by(DocumentType.code)))


def search_products(category: str | None = None, text: str = "") -> list[Product]:
    """Catalogue products, optionally of one category, whose HS code starts with `text` or
    whose name in any language contains it, whatever the case (catalogue.product_matches).
    The catalogue is small: it is read whole and matched in Python."""
    query = select(Product).order_by(Product.hs_code, Product.code)
    if category:
        query = query.where(Product.gacc_category_code == category)
    products = list(db.session.scalars(query))
    text = text.strip()
    return [p for p in products if product_matches(p, text)] if text else products
