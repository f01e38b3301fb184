"""The public register: establishments registered in China and in force, like GACC's lists."""

import csv
import io
import time

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import Integer, any_, bindparam, func, or_, select, union
from sqlalchemy import text as sql_text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import contains_eager
from sqlalchemy.sql.elements import UnaryExpression
from sqlalchemy.sql.operators import custom_op

from certtrack.extensions import contains_pattern, db
from certtrack.models import (
    Application,
    ApplicationProduct,
    Enterprise,
    Establishment,
    GaccCategory,
    Product,
    Region,
    Registration,
    enterprise_search,
    registration_search,
)
from certtrack.models.search import MIN_INDEXED_LENGTH
from certtrack.services.applications import local_today
from certtrack.services.catalogue import text_matches
from certtrack.services.errors import ValidationFailed
from certtrack.services.list_rows import covered_product_lines, register_rows, status_days
from certtrack.services.pagination import paginate
from certtrack.services.spreadsheets import cell

# In force: active, or suspended (GACC's lists show suspended enterprises with their status).
SHOWN_STATUSES = ("active", "suspended")
# The products come last: a column added later leaves the others where readers found them.
CSV_COLUMNS = ("enterprise", "bin", "establishment", "region", "category",
               "china_registration_number", "valid_from", "valid_to", "status", "products",
               "products_produced_from", "suspended_until")
# PostgreSQL: at most this many registrations matched by their China number are bound into a
# search's statements as ids; more are selected there (_matching).
MATCHED_NUMBERS_BOUND = 500
# How long a process keeps PostgreSQL's estimate of the registrations (per database).
ESTIMATE_KEPT_FOR = 300.0
_ESTIMATES: dict[str, tuple[float, int | None]] = {}


def _conditions(search: str, category: str | None, region: str | None, *,
                walks_names: bool = False, status: str | None = None,
                products: list[str] | None = None) -> list:
    """The filters, on `registration` alone: the page's rows and its count share them, and the
    count needs no join. `walks_names`: for the page's statement, when walking the
    enterprises in name order is the shorter way to the page (_walks_names)."""
    text = (search or "").strip()
    # SQLite takes the way in that an index offers; the unary "+" of its query planner
    # documentation keeps a term off every index, so that it walks ix_enterprise_name_en,
    # checks each registration there and stops after the page. PostgreSQL's planner weighs
    # both ways itself, given a search's conditions on the enterprise's own row (_matching).
    hint = walks_names and db.engine.dialect.name == "sqlite"
    column = _not_indexed if hint else (lambda c: c)
    statuses = (status,) if status in SHOWN_STATUSES else SHOWN_STATUSES
    # Written into the statement, not bound: PostgreSQL then matches its partial index of the
    # shown statuses (models/postgresql.py) in a prepared statement's generic plan too.
    shown = bindparam("shown_status", list(statuses), expanding=True, literal_execute=True)
    conditions = [column(Registration.status).in_(shown),
                  column(Registration.valid_to) >= local_today()]
    if products is not None:  # of its own application, or of a renewal or change since,
        with_product = select(ApplicationProduct.application_id).where(  # the one in force
            ApplicationProduct.product_code.in_(products))
        conditions.extend((or_(column(Registration.application_id).in_(with_product),
                               column(Registration.id).in_(_later_with(with_product))),
                           _current_application_id().in_(with_product)))
    if category:
        conditions.append(column(Registration.gacc_category_code) == category)
    if region:
        conditions.append(column(Registration.establishment_id).in_(
            select(Establishment.id).where(Establishment.region_code == region)))
    # Each word, anywhere: "科斯塔奈 粮食" finds 科斯塔奈粮食有限责任公司, "Grain Kostanay" finds
    # Kostanay Grain LLP (the whole text as one phrase found neither).
    conditions.extend(_matching(word, column, walks_names=walks_names) for word in text.split())
    return conditions


def _not_indexed(column):
    """`+column`: the same value, which SQLite's planner will not look up in an index."""
    return UnaryExpression(column, operator=custom_op("+"), type_=column.type)


def _query(search: str = "", category: str | None = None, region: str | None = None,
           **narrower):
    """Registrations in force today, each with its enterprise and establishment in the same
    query (the establishment's region and the category are joined by their mappings)."""
    return _with_what_they_show(_conditions(search, category, region, **narrower))


def _narrower(status: str | None, product: str) -> dict:
    """The status and product filters as _conditions takes them."""
    return {"status": status, "products": matching_products(product)}


def _later_with(with_product):
    """The registrations whose registered renewal or accepted change lists a product of
    `with_product` (a subquery of application ids)."""
    return select(func.coalesce(Application.change_of_id, Application.renewal_of_id)).where(
        Application.id.in_(with_product), Application.state == "registered")


def _current_application_id():
    """The id of the application whose products each registration covers now, per row: its
    latest registered renewal or accepted change, else its own (print_context.
    current_application). A change that replaced wheat with barley is no wheat supplier."""
    later = (select(Application.id)
             .where(or_(Application.change_of_id == Registration.id,
                        Application.renewal_of_id == Registration.id),
                    Application.state == "registered")
             .order_by(Application.state_changed_at.desc(), Application.id.desc())
             .limit(1).correlate(Registration).scalar_subquery())
    return func.coalesce(later, Registration.application_id)


def matching_products(text: str) -> list[str] | None:
    """The codes of the catalogue's products that match `text` (catalogue.text_matches: the
    HS code's start or a part of a name in any language, whatever the case); None for no
    text. The catalogue is small: it is read whole and matched in Python, in every script's
    case rules (SQLite's lower() knows only ASCII)."""
    if not (text or "").split():
        return None
    rows = db.session.execute(select(Product.code, Product.hs_code, Product.name_en,
                                     Product.name_kk, Product.name_ru, Product.name_zh))
    return [code for code, hs_code, *names in rows if text_matches(text, hs_code, names)]


def register_tabs(search: str = "", category: str | None = None, region: str | None = None,
                  product: str = "") -> dict[str, int]:
    """How many registrations match in each shown status (in force, suspended)."""
    conditions = _conditions(search, category, region, **_narrower(None, product))
    counts = dict(db.session.execute(select(Registration.status, func.count())
                                     .where(*conditions).group_by(Registration.status)).all())
    return {status: counts.get(status, 0) for status in SHOWN_STATUSES}


def _with_what_they_show(conditions: list):
    return (select(Registration)
            .join(Enterprise, Registration.enterprise_id == Enterprise.id)
            .join(Establishment, Registration.establishment_id == Establishment.id)
            .options(contains_eager(Registration.enterprise),
                     contains_eager(Registration.establishment))
            .where(*conditions)
            .order_by(Enterprise.name_en, Registration.china_number))


def matching(text: str):
    """The condition on `registration` of a search for `text`: the enterprise's name in any
    language or its BIN, or the China number, whatever the case (the register's own)."""
    return _matching(text.strip())


def _matching(text: str, column=lambda c: c, *, walks_names: bool = False):
    """The registrations whose enterprise has `text` in a name or its BIN, or whose China
    number has it, ignoring case: found through the trigram indexes of certtrack.models.search
    (SQLite's FTS5 tables; PostgreSQL's GIN indexes serve the ILIKEs), by scanning for a text
    too short to have a trigram. `walks_names`: for the page's statement, which joins the
    enterprise, when walking the enterprises in name order reaches the page sooner."""
    dialect = db.engine.dialect.name
    if dialect == "sqlite" and len(text) >= MIN_INDEXED_LENGTH:
        # The matched enterprises' registrations in force come from
        # ix_registration_enterprise_in_force alone; the few matched numbers by their ids.
        phrase = '"' + text.replace('"', '""') + '"'  # FTS5: the whole text, in this order
        return or_(
            column(Registration.enterprise_id).in_(select(enterprise_search.c.rowid).where(
                enterprise_search.c.enterprise_search.match(phrase))),
            column(Registration.id).in_(select(registration_search.c.rowid).where(
                registration_search.c.registration_search.match(phrase))))
    pattern = contains_pattern(text)
    names = or_(*(column.ilike(pattern, escape="\\") for column in (
        Enterprise.name_en, Enterprise.name_kk, Enterprise.name_ru, Enterprise.name_zh,
        Enterprise.bin)))
    number = Registration.china_number.ilike(pattern, escape="\\")
    if dialect == "postgresql":
        if walks_names:  # each enterprise tested as the walk meets it
            return or_(names, number)
        return _matched_ids(names, number)
    enterprises = select(Enterprise.id).where(names)
    numbers = select(Registration.id).where(number)
    return column(Registration.id).in_(union(
        select(Registration.id).where(Registration.enterprise_id.in_(enterprises)), numbers))


def _matched_ids(names, number):
    """PostgreSQL: the registrations of the enterprises matched by `names`, or matched by
    their China `number`, as conditions on the registration's own ids."""
    # The matched enterprises' ids as an array, collected once through the trigram
    # index (an InitPlan): PostgreSQL then reads the registrations in force of those
    # enterprises from an index alone. As semi-joins or a UNION of ids it hashed every
    # registration against the matches instead ("Grain", `make bench`: the count 84 -> 11
    # ms, the page's ids 90 -> 33 ms).
    enterprises = Registration.enterprise_id == any_(
        _array(select(Enterprise.id).where(names)))
    # The matched China numbers are looked up first: most searches match none, and an
    # OR with them would take the count off the index onto every match's row ("Grain":
    # 8.6 -> 5.0 ms).
    numbers = db.session.scalars(select(Registration.id).where(number)
                                 .limit(MATCHED_NUMBERS_BOUND + 1)).all()
    if not numbers:
        return enterprises
    if len(numbers) > MATCHED_NUMBERS_BOUND:
        return or_(enterprises,
                   Registration.id == any_(_array(select(Registration.id).where(number))))
    return or_(enterprises, Registration.id.in_(numbers))


def _array(ids):
    """PostgreSQL's ARRAY(subquery): the ids a SELECT of one integer column returns."""
    return func.array(ids.scalar_subquery(), type_=ARRAY(Integer))


def check_filters(category: str | None, region: str | None) -> None:
    """Refuse a category or region code that names none (an integrator's typo would read as
    "no registration"); one query.

    :raise ValidationFailed: naming the unknown code's field.
    """
    given = {field: select(model.code).where(model.code == code).exists().label(field)
             for field, model, code in (("category", GaccCategory, category),
                                        ("region", Region, region)) if code}
    if not given:
        return
    found = db.session.execute(select(*given.values())).one()._asdict()
    messages = {"category": _("No GACC category has this code."),
                "region": _("No region has this code.")}
    errors = {field: [messages[field]] for field, exists in found.items() if not exists}
    if errors:
        raise ValidationFailed(errors)


def search_register(search: str = "", category: str | None = None, region: str | None = None,
                    page: int = 1, *, status: str | None = None, product: str = "",
                    tabs: dict[str, int] | None = None, per_page: int | None = None):
    """Take a text (any language of the enterprise's name, its BIN or a China number), a
    category code and a region code; return one page of the register. Anyone may call it.

    Five queries whatever the page size: the count of the conditions alone (Flask-SQLAlchemy's
    would wrap the page, joins and all), the page's ids in the register's order (sorting ids
    and names, not whole rows with what they show), and those rows with what they show
    (list_rows.RegisterRow) and the products they cover now (two).
    `status` narrows to one of SHOWN_STATUSES; `product` to registrations of products whose
    name or HS code matches (matching_products: one more query). `tabs`, the page's
    register_tabs() under the same filters, gives the count (its figure for `status`) instead
    of counting the matches again. `per_page` defaults to the app's PER_PAGE.
    """
    per_page = per_page or current_app.config["PER_PAGE"]
    narrower = _narrower(status, product)
    if tabs is None:
        total, registrations = _counts(search, category, region, **narrower)
    else:
        shown = (status,) if status in SHOWN_STATUSES else SHOWN_STATUSES
        total = sum(tabs.get(one, 0) for one in shown)
        registrations = _registrations_estimate(bool((search or "").strip()))
    walks_names = _walks_names(total, registrations, max(page, 1) * per_page)
    ids = (select(Registration.id)
           .join(Enterprise, Registration.enterprise_id == Enterprise.id)
           .where(*_conditions(search, category, region, walks_names=walks_names, **narrower))
           .order_by(Enterprise.name_en, Registration.china_number))
    pagination = paginate(ids, total, page=page, per_page=per_page)
    pagination.items = register_rows(pagination.items)
    return pagination


def _counts(search: str, category: str | None, region: str | None,
            **narrower) -> tuple[int, int | None]:
    """The registrations that match, and the number of all registrations (whatever their
    status) where _walks_names needs it, in one statement on SQLite (which counts a whole
    table from its b-tree's pages: 0.01 ms at national scale)."""
    matching = (select(func.count()).select_from(Registration)
                .where(*_conditions(search, category, region, **narrower)))
    if db.engine.dialect.name != "sqlite":
        return db.session.scalar(matching), _registrations_estimate(bool(search.strip()))
    registrations = select(func.count()).select_from(Registration).scalar_subquery()
    return tuple(db.session.execute(matching.add_columns(registrations)).one())


def _registrations_estimate(searched: bool) -> int | None:
    """The number of registrations _walks_names weighs the walk with: counted on SQLite; on
    PostgreSQL, which would read every index entry to count them, the planner's estimate
    (pg_class.reltuples, kept by ANALYZE and autovacuum), and only for a text search, the one
    filter whose way to the page certtrack chooses there (the others its planner weighs).
    The estimate is read again every ESTIMATE_KEPT_FOR seconds, not on every search: it only
    chooses between two ways to the same rows."""
    dialect = db.engine.dialect.name
    if dialect == "sqlite":
        return db.session.scalar(select(func.count()).select_from(Registration))
    if dialect != "postgresql" or not searched:
        return None
    key, now = str(db.engine.url), time.monotonic()
    kept = _ESTIMATES.get(key)
    if kept is None or now - kept[0] > ESTIMATE_KEPT_FOR:
        estimate = db.session.scalar(sql_text(
            "SELECT reltuples::bigint FROM pg_class WHERE oid = 'registration'::regclass"))
        kept = _ESTIMATES[key] = (now, estimate if estimate and estimate > 0 else None)
    return kept[1]


def _walks_names(matches: int, registrations: int | None, rows_to_page_end: int) -> bool:
    """Whether walking the enterprises in name order reaches the page sooner than sorting the
    matches: the walk checks about `rows_to_page_end` * `registrations` / `matches` rows
    before it has the page; the sort reads all `matches` and their names first (both cost
    about the same per row, measured at national scale with `make bench`, on SQLite and on
    PostgreSQL). No figure for the registrations (`None`): the sort."""
    if not matches or registrations is None:
        return False
    return rows_to_page_end * registrations / matches < matches


def register_csv(search: str = "", category: str | None = None, region: str | None = None,
                 *, locale: str = "en", status_labels: dict | None = None,
                 status: str | None = None, product: str = "",
                 headers: dict | None = None) -> str:
    """The whole register under the same filters as CSV text.

    Names are in `locale` (English when missing); `status_labels` words the statuses and
    `headers` the CSV_COLUMNS of the first line (the codes themselves without them).
    """
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([(headers or {}).get(column, column) for column in CSV_COLUMNS])
    rows = list(db.session.scalars(_query(search, category, region,
                                          **_narrower(status, product))))
    lines = covered_product_lines([(row.id, row.application_id) for row in rows])
    for row in rows:
        establishment = row.establishment
        writer.writerow([cell(value) for value in (
            row.enterprise.name_in(locale), row.enterprise.bin, establishment.name_in(locale),
            establishment.region.name_in(locale), row.gacc_category.name_in(locale),
            row.china_number, row.valid_from.isoformat(), row.valid_to.isoformat(),
            (status_labels or {}).get(row.status, row.status),
            "; ".join(f"{line.hs_code} {line.name_in(locale)}"
                      for line in lines[row.id]),
            *(day.isoformat() if day else "" for day in status_days(row)))])
    return out.getvalue()
