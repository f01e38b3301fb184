"""What a list row shows of an application or a registration, read as plain values.

The lists only read: their rows come from one Core SELECT of the columns they show (the page's
ids first, from an index, in the list's order), never as ORM objects with their identity map,
lazy loaders and change tracking. Names keep every language; the page picks its own.
"""

from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from typing import NamedTuple

from sqlalchemy import bindparam, case, func, or_, select
from sqlalchemy.orm import aliased

from certtrack.domain.workflow import STATE_ORDER
from certtrack.extensions import db
from certtrack.models import (
    Application,
    ApplicationProduct,
    Enterprise,
    Establishment,
    GaccBatch,
    GaccCategory,
    Product,
    Region,
    Registration,
    User,
)
from certtrack.models.application import application_reference

_LANGUAGES = {"en": 0, "kk": 1, "ru": 2, "zh": 3}

# The orders of the lists of applications. NULLS LAST spelled out: SQLite puts NULLs first in
# ascending order, PostgreSQL last, and applications without a deadline (drafts, closed ones)
# belong after the urgent ones. By state: the workflow's order, a CASE in the same query (the
# codes' alphabetical order put "conclusion_positive" before "draft" and "registered" before
# "submitted").
SORTS = {
    "updated": Application.updated_at.desc(),
    "created": Application.created_at.desc(),
    "deadline": Application.stage_deadline.asc().nulls_last(),
    "state": case({state.value: rank for rank, state in enumerate(STATE_ORDER)},
                  value=Application.state, else_=len(STATE_ORDER)).asc(),
}


class Names(NamedTuple):
    """A name in each language, as reference rows and enterprises keep them."""

    en: str
    kk: str | None
    ru: str | None
    zh: str | None

    def name_in(self, locale: str) -> str:
        """The name in `locale`, falling back to English when that translation is empty (and
        to Kazakh, an establishment's one required language, without English)."""
        index = _LANGUAGES.get(locale)
        return (self[index] if index is not None else None) or self.en or self.kk


def _names(model) -> tuple:
    return model.name_en, model.name_kk, model.name_ru, model.name_zh


class ProductLine(NamedTuple):
    """A product of an application: its HS code and names."""

    hs_code: str
    names: Names

    def name_in(self, locale: str) -> str:
        return self.names.name_in(locale)


@dataclass(frozen=True, slots=True)
class ApplicationRow:
    """An application as the lists show it (exporter's, inspector's and registrar's)."""

    id: int
    kind: str
    state: str
    state_changed_at: datetime
    stage_deadline: date | None
    enterprise: Names
    bin: str
    establishment: Names
    region: Names
    category: Names
    assignee: str | None
    batch_id: int | None
    batch_reference: str | None
    # The status of the registration it led to (or renewed): a registered application whose
    # registration has since been suspended or has ended reads so in the lists.
    registration_status: str | None = None
    products: tuple[ProductLine, ...] = ()

    @property
    def reference(self) -> str:
        return application_reference(self.id)


@cache
def _application_statement():
    """Built once: a SELECT of many columns costs more to build than to run here. Its
    registration is the one it led to, or for a renewal or an accepted change the one it renewed
    or changed (three unique keys)."""
    assignee, batch = aliased(User), aliased(GaccBatch)
    led_to, renewed, changed = aliased(Registration), aliased(Registration), aliased(Registration)
    return (
        select(Application.id, Application.kind, Application.state,
               Application.state_changed_at, Application.stage_deadline,
               *_names(Enterprise), Enterprise.bin, *_names(Establishment), *_names(Region),
               *_names(GaccCategory), assignee.full_name, batch.id, batch.reference,
               func.coalesce(led_to.status, renewed.status, changed.status))
        .join(Enterprise, Enterprise.id == Application.enterprise_id)
        .join(Establishment, Establishment.id == Application.establishment_id)
        .join(Region, Region.code == Application.region_code)
        .join(GaccCategory, GaccCategory.code == Application.gacc_category_code)
        .outerjoin(assignee, assignee.id == Application.assignee_id)
        .outerjoin(batch, batch.id == Application.gacc_batch_id)
        .outerjoin(led_to, led_to.application_id == Application.id)
        .outerjoin(renewed, renewed.id == Application.renewal_of_id)
        .outerjoin(changed, changed.id == Application.change_of_id)
        .where(Application.id.in_(bindparam("ids", expanding=True))))


def application_rows(ids: list[int], *, products: bool = False) -> list[ApplicationRow]:
    """Take application ids in a list's order; return their rows in that order (ids not found
    are left out), with their product lines when asked: one query, two with the products."""
    if not ids:
        return []
    lines = product_lines(ids) if products else {}
    rows = {}
    for values in db.session.execute(_application_statement(), {"ids": ids}):
        rows[values[0]] = ApplicationRow(
            *values[:5], Names(*values[5:9]), values[9], Names(*values[10:14]),
            Names(*values[14:18]), Names(*values[18:22]), *values[22:26],
            products=lines.get(values[0], ()))
    return [rows[id_] for id_ in ids if id_ in rows]


@cache
def _product_statement():
    return (select(ApplicationProduct.application_id, Product.hs_code, *_names(Product))
            .join(Product, Product.code == ApplicationProduct.product_code)
            .where(ApplicationProduct.application_id.in_(bindparam("ids", expanding=True)))
            .order_by(ApplicationProduct.id))


def product_lines(application_ids: list[int]) -> dict[int, tuple[ProductLine, ...]]:
    """The product lines of each application, in one query."""
    lines: dict[int, list[ProductLine]] = {}
    for application_id, hs_code, *names in db.session.execute(_product_statement(),
                                                              {"ids": application_ids}):
        lines.setdefault(application_id, []).append(ProductLine(hs_code, Names(*names)))
    return {key: tuple(value) for key, value in lines.items()}


@dataclass(frozen=True, slots=True)
class RegisterRow:
    """A registration as the public register shows it."""

    id: int
    application_id: int
    enterprise: Names
    bin: str
    establishment: Names
    region_code: str
    region: Names
    gacc_category_code: str
    category: Names
    china_number: str
    valid_from: date
    valid_to: date
    status: str
    # Set once a suspension was lifted: only products produced on or after it are accepted.
    products_produced_from: date | None
    # The last day of a time-boxed suspension (None: until lifted, or not suspended).
    suspended_until: date | None
    products: tuple[ProductLine, ...] = ()


def status_days(row) -> tuple[date | None, date | None]:
    """A registration's days beside its status, as the register says them (page and CSV): the
    first production day a resumed one covers, while in force; the last day of a time-boxed
    suspension, while suspended."""
    return (row.products_produced_from if row.status == "active" else None,
            row.suspended_until if row.status == "suspended" else None)


@cache
def _register_statement():
    return (
        select(Registration.id, Registration.application_id, *_names(Enterprise),
               Enterprise.bin, *_names(Establishment), Establishment.region_code, *_names(Region),
               Registration.gacc_category_code, *_names(GaccCategory),
               Registration.china_number, Registration.valid_from, Registration.valid_to,
               Registration.status, Registration.products_produced_from,
               Registration.suspended_until)
        .join(Enterprise, Enterprise.id == Registration.enterprise_id)
        .join(Establishment, Establishment.id == Registration.establishment_id)
        .join(Region, Region.code == Establishment.region_code)
        .join(GaccCategory, GaccCategory.code == Registration.gacc_category_code)
        .where(Registration.id.in_(bindparam("ids", expanding=True))))


def covered_product_lines(pairs: list[tuple[int, int]]) -> dict[int, tuple[ProductLine, ...]]:
    """Take (registration id, id of the application that made it) pairs; return each
    registration's product lines as it covers them now: those of its latest registered renewal
    or accepted change, else its own application's (print_context.current_application): two
    queries."""
    current = dict(pairs)
    ids = list(current)
    current.update(db.session.execute(
        select(func.coalesce(Application.change_of_id, Application.renewal_of_id),
               Application.id)
        .where(or_(Application.change_of_id.in_(ids), Application.renewal_of_id.in_(ids)),
               Application.state == "registered")
        .order_by(Application.state_changed_at, Application.id)).all() if ids else ())
    lines = product_lines(list(current.values()))
    return {registration: lines.get(application, ())
            for registration, application in current.items()}


def register_rows(ids: list[int]) -> list[RegisterRow]:
    """Take registration ids in the register's order; return their rows in that order, each
    with the products it covers now: three queries."""
    if not ids:
        return []
    found = list(db.session.execute(_register_statement(), {"ids": ids}))
    lines = covered_product_lines([(values[0], values[1]) for values in found])
    rows = {values[0]: RegisterRow(
        values[0], values[1], Names(*values[2:6]), values[6], Names(*values[7:11]), values[11],
        Names(*values[12:16]), values[16], Names(*values[17:21]), *values[21:27],
        products=lines[values[0]]) for values in found}
    return [rows[id_] for id_ in ids if id_ in rows]
