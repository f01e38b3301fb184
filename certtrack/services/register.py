"""The public register: establishments registered in China and in force, like GACC's lists."""

import csv
import io

from flask import current_app
from sqlalchemy import or_, select
from sqlalchemy.orm import contains_eager

from certtrack.extensions import db
from certtrack.models import Enterprise, Establishment, Registration
from certtrack.services.applications import local_today

# In force: active, or suspended (GACC's lists show suspended enterprises with their status).
SHOWN_STATUSES = ("active", "suspended")
CSV_COLUMNS = ("enterprise", "bin", "establishment", "region", "category",
               "china_registration_number", "valid_from", "valid_to", "status")
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _query(search: str = "", category: str | None = None, region: str | None = None):
    """Registrations in force today, each with its enterprise and establishment in the same
    query (the establishment's region and the category are joined by their mappings)."""
    query = (select(Registration)
             .join(Enterprise, Registration.enterprise_id == Enterprise.id)
             .join(Establishment, Registration.establishment_id == Establishment.id)
             .options(contains_eager(Registration.enterprise),
                      contains_eager(Registration.establishment))
             .where(Registration.status.in_(SHOWN_STATUSES),
                    Registration.valid_to >= local_today()))
    if category:
        query = query.where(Registration.gacc_category_code == category)
    if region:
        query = query.where(Establishment.region_code == region)
    text = (search or "").strip()
    if text:
        pattern = f"%{text}%"
        query = query.where(or_(
            Enterprise.name_en.ilike(pattern), Enterprise.name_kk.ilike(pattern),
            Enterprise.name_ru.ilike(pattern), Enterprise.name_zh.ilike(pattern),
            Enterprise.bin.ilike(pattern), Registration.china_number.ilike(pattern)))
    return query.order_by(Enterprise.name_en, Registration.china_number)


def search_register(search: str = "", category: str | None = None, region: str | None = None,
                    page: int = 1):
    """Take a text (any language of the enterprise's name, its BIN or a China number), a
    category code and a region code; return one page of the register. Anyone may call it.

    Two queries whatever the page size: the count and the rows with what they show.
    """
    return db.paginate(_query(search, category, region), page=page,
                       per_page=current_app.config["PER_PAGE"], error_out=False)


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
