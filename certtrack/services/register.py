"""The public register: establishments registered in China and in force, like GACC's lists."""

import csv
import io

from flask import current_app
from sqlalchemy import func, or_, select, union
from sqlalchemy.orm import contains_eager
from sqlalchemy.sql.elements import UnaryExpression
from sqlalchemy.sql.operators import custom_op

from certtrack.extensions import db
from certtrack.models import (
    Enterprise,
    Establishment,
    Registration,
    enterprise_search,
    registration_search,
)
from certtrack.models.search import MIN_INDEXED_LENGTH
from certtrack.services.applications import local_today
from certtrack.services.pagination import paginate

# In force: active, or suspended (GACC's lists show suspended enterprises with their status).
SHOWN_STATUSES = ("active", "suspended")
CSV_COLUMNS = ("enterprise", "bin", "establishment", "region", "category",
               "china_registration_number", "valid_from", "valid_to", "status")
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _conditions(search: str, category: str | None, region: str | None, *,
                in_name_order: bool = False) -> list:
    """The filters, on `registration` alone: the page's rows and its count share them, and the
    count needs no join. `in_name_order`: for the statement that sorts by enterprise name."""
    text = (search or "").strip()
    status, valid_to = Registration.status, Registration.valid_to
    if in_name_order and not text and db.engine.dialect.name == "sqlite":
        # SQLite would read every registration in force through ix_registration_in_force
        # and sort them all by name; with these two terms kept off that index (the unary "+"
        # of SQLite's query planner documentation) it walks ix_enterprise_name_en instead and
        # stops after the page. A search has its own, narrower way in (_matching).
        status, valid_to = _not_indexed(status), _not_indexed(valid_to)
    conditions = [status.in_(SHOWN_STATUSES), valid_to >= local_today()]
    if category:
        conditions.append(Registration.gacc_category_code == category)
    if region:
        conditions.append(Registration.establishment_id.in_(
            select(Establishment.id).where(Establishment.region_code == region)))
    if text:
        conditions.append(_matching(text))
    return conditions


def _not_indexed(column):
    """`+column`: the same value, which SQLite's planner will not look up in an index."""
    return UnaryExpression(column, operator=custom_op("+"), type_=column.type)


def _query(search: str = "", category: str | None = None, region: str | None = None):
    """Registrations in force today, each with its enterprise and establishment in the same
    query (the establishment's region and the category are joined by their mappings)."""
    return _with_what_they_show(_conditions(search, category, region))


def _with_what_they_show(conditions: list):
    return (select(Registration)
            .join(Enterprise, Registration.enterprise_id == Enterprise.id)
            .join(Establishment, Registration.establishment_id == Establishment.id)
            .options(contains_eager(Registration.enterprise),
                     contains_eager(Registration.establishment))
            .where(*conditions)
            .order_by(Enterprise.name_en, Registration.china_number))


def _matching(text: str):
    """The registrations whose enterprise has `text` in a name or its BIN, or whose China
    number has it, ignoring case: found through the trigram indexes of certtrack.models.search
    (SQLite's FTS5 tables; PostgreSQL's GIN indexes serve the ILIKEs), by scanning for a text
    too short to have a trigram."""
    if db.engine.dialect.name == "sqlite" and len(text) >= MIN_INDEXED_LENGTH:
        # The matched enterprises' registrations in force come from
        # ix_registration_enterprise_in_force alone; the few matched numbers by their ids.
        phrase = '"' + text.replace('"', '""') + '"'  # FTS5: the whole text, in this order
        return or_(
            Registration.enterprise_id.in_(select(enterprise_search.c.rowid).where(
                enterprise_search.c.enterprise_search.match(phrase))),
            Registration.id.in_(select(registration_search.c.rowid).where(
                registration_search.c.registration_search.match(phrase))))
    pattern = "%" + "".join("\\" + c if c in "%_\\" else c for c in text) + "%"
    enterprises = select(Enterprise.id).where(or_(*(
        column.ilike(pattern, escape="\\") for column in (
            Enterprise.name_en, Enterprise.name_kk, Enterprise.name_ru, Enterprise.name_zh,
            Enterprise.bin))))
    numbers = select(Registration.id).where(
        Registration.china_number.ilike(pattern, escape="\\"))
    return Registration.id.in_(union(
        select(Registration.id).where(Registration.enterprise_id.in_(enterprises)), numbers))


def search_register(search: str = "", category: str | None = None, region: str | None = None,
                    page: int = 1):
    """Take a text (any language of the enterprise's name, its BIN or a China number), a
    category code and a region code; return one page of the register. Anyone may call it.

    Three queries whatever the page size: the page's ids in the register's order (sorting ids
    and names, not whole rows with what they show), those rows with what they show, and the
    count of the conditions alone (Flask-SQLAlchemy's would wrap the page, joins and all).
    """
    ids = (select(Registration.id)
           .join(Enterprise, Registration.enterprise_id == Enterprise.id)
           .where(*_conditions(search, category, region, in_name_order=True))
           .order_by(Enterprise.name_en, Registration.china_number))
    count = select(func.count(Registration.id)).where(*_conditions(search, category, region))
    pagination = paginate(ids, count,
                          page=page, per_page=current_app.config["PER_PAGE"])
    pagination.items = list(db.session.scalars(
        _with_what_they_show([Registration.id.in_(pagination.items)])))
    return pagination


def _cell(value) -> str:
    """A CSV cell that a spreadsheet shows as text, never runs as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def register_csv(search: str = "", category: str | None = None, region: str | None = None,
                 *, locale: str = "en", status_labels: dict | None = None) -> str:
    """The whole register under the same filters as CSV text (CSV_COLUMNS as the header).

    Names are in `locale` (English when missing); `status_labels` words the statuses.
    """
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for row in db.session.scalars(_query(search, category, region)):
        establishment = row.establishment
        writer.writerow([_cell(value) for value in (
            row.enterprise.name_in(locale), row.enterprise.bin, establishment.name,
            establishment.region.name_in(locale), row.gacc_category.name_in(locale),
            row.china_number, row.valid_from.isoformat(), row.valid_to.isoformat(),
            (status_labels or {}).get(row.status, row.status))])
    return out.getvalue()
