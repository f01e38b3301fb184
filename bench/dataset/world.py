"""What the generator steps share: the connection, the random source, reference data and ids."""

import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.engine import Connection

from bench.dataset import Sizes
from certtrack.models import (
    DocumentType,
    GaccCategory,
    LabLimit,
    Product,
    Region,
    RequiredDocument,
)
from certtrack.models.base import utcnow

# Where each kind of establishment sends its products (GACC categories).
CATEGORIES_BY_TYPE = {
    "farm": ("edible_grains", "oilseeds", "dried_beans", "feed"),
    "elevator": ("edible_grains", "edible_grains", "oilseeds"),
    "flour_mill": ("milled_grain",),
    "oilseed_plant": ("oilseeds",),
    "feed_mill": ("feed",),
    "slaughterhouse": ("meat",),
    "cutting_plant": ("meat",),
    "meat_processor": ("meat",),
    "cold_store": ("meat", "dairy", "bee_products"),
}
TYPES_BY_COMMITTEE = {
    "phytosanitary": ("farm", "elevator", "elevator", "flour_mill", "oilseed_plant", "feed_mill"),
    "veterinary": ("slaughterhouse", "cutting_plant", "meat_processor", "cold_store"),
}
# The grain belt of the north exports most of the grain; meat comes from everywhere.
REGION_WEIGHTS = {"KZ-11": 9, "KZ-39": 9, "KZ-59": 8, "KZ-55": 5, "KZ-35": 4, "KZ-15": 4,
                  "KZ-71": 2, "KZ-75": 2}


@dataclass(frozen=True)
class Reference:
    """The reference rows the generator draws from, read back after load_reference()."""

    committee_of: dict[str, str]
    products_of: dict[str, list[str]]
    regions: list[str]
    region_weights: list[int]
    required_documents: dict[tuple[str, str], list[str]]
    limits_of: dict[str, list[tuple[int, str, str]]]
    names: dict[str, dict[str, str]]  # region, category and product code -> names by language
    hs_codes: dict[str, str]

    @classmethod
    def load(cls, conn: Connection) -> "Reference":
        """Read categories, products, regions, required documents and limits."""
        committee_of = dict(conn.execute(select(GaccCategory.code, GaccCategory.committee)).all())
        products_of: dict[str, list[str]] = defaultdict(list)
        for code, category in conn.execute(select(Product.code, Product.gacc_category_code)
                                           .order_by(Product.code)):
            products_of[category].append(code)
        regions = list(conn.scalars(select(Region.code).order_by(Region.code)))
        return cls(committee_of, dict(products_of), regions,
                   [REGION_WEIGHTS.get(code, 1) for code in regions],
                   _required_documents(conn, committee_of), _limits(conn), _names(conn),
                   dict(conn.execute(select(Product.code, Product.hs_code)).all()))


def _names(conn: Connection) -> dict[str, dict[str, str]]:
    names = {}
    for model in (Region, GaccCategory, Product):
        for row in conn.execute(select(model.code, model.name_kk, model.name_ru, model.name_en,
                                       model.name_zh)):
            names[row[0]] = {lang: value for lang, value in zip(("kk", "ru", "en", "zh"),
                                                                row[1:], strict=True) if value}
    return names


def _required_documents(conn: Connection, categories) -> dict[tuple[str, str], list[str]]:
    rows = conn.execute(select(RequiredDocument.gacc_category, RequiredDocument.kind,
                               RequiredDocument.document_type_code)).all()
    known = set(conn.scalars(select(DocumentType.code)))
    required = {}
    for category in categories:
        for kind in ("new", "renewal", "change"):
            required[(category, kind)] = sorted(
                {code for cat, k, code in rows if cat in ("*", category) and k in ("*", kind)
                 and code in known})
    return required


def _limits(conn: Connection) -> dict[str, list[tuple[int, str, str]]]:
    limits: dict[str, list[tuple[int, str, str]]] = defaultdict(list)
    for limit_id, parameter, unit, products in conn.execute(
            select(LabLimit.id, LabLimit.parameter, LabLimit.unit, LabLimit.products)
            .order_by(LabLimit.id)):
        for product in products.split():
            limits[product].append((limit_id, parameter, unit))
    return dict(limits)


@dataclass
class World:
    """The generator's shared state; steps fill in the ids later steps refer to."""

    conn: Connection
    sizes: Sizes
    rng: random.Random
    ref: Reference
    now: datetime = field(default_factory=utcnow)
    enterprise_committee: list[str] = field(default_factory=list)  # index: enterprise id - 1
    enterprise_names: dict[int, dict] = field(default_factory=dict)
    establishments: dict[int, list[tuple[int, str, str]]] = field(default_factory=dict)
    exporter_of: dict[int, int] = field(default_factory=dict)  # enterprise id -> user id
    inspectors: dict[tuple[str, str], list[int]] = field(default_factory=dict)
    registrars: list[int] = field(default_factory=list)
    plans: list = field(default_factory=list)  # bench.dataset.plans.Plan, by application id
    counts: dict[str, int] = field(default_factory=dict)

    def ago(self, days: float) -> datetime:
        """The moment `days` before now."""
        return self.now - timedelta(days=days)

    def inspector_for(self, committee: str, region: str) -> int | None:
        """A random inspector of the committee who covers the region."""
        candidates = self.inspectors.get((committee, region))
        return self.rng.choice(candidates) if candidates else None
