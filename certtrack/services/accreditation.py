"""A laboratory's scope of accreditation: the parameters it may test in which product groups
(lead in grain is not lead in meat), and the laboratories a sample can go to."""

from collections.abc import Iterable

from sqlalchemy import select

from certtrack.extensions import db
from certtrack.models import Laboratory, Product
from certtrack.services.applications import local_today
from certtrack.services.limits import limits_for_products, product_codes


def in_scope(lab: Laboratory, products: Iterable[str]) -> dict[str, set[str]]:
    """The parameters `lab` is accredited to test in each of the products, by code: none
    when a product's group is outside its scope (a laboratory recorded with no group: every
    group). One query for any number of products."""
    codes = set(products)
    groups = dict(db.session.execute(select(Product.code, Product.gacc_category_code).where(
        Product.code.in_(codes))).all()) if lab.categories and codes else {}
    return {code: set(lab.parameters or ()) if not lab.categories
            or groups.get(code) in lab.categories else set() for code in codes}


def covers(lab: Laboratory, products: Iterable[str], limits=None) -> bool:
    """Whether the scope covers one of China's tests of one of the products (`limits`: those
    of the products, when the caller has them)."""
    scope = in_scope(lab, products)
    limits = limits_for_products(scope) if limits is None else limits
    return any(limit.parameter in scope[code] for limit in limits
               for code in product_codes(limit) if code in scope)


def accredited_laboratories(products=None) -> list[Laboratory]:
    """The laboratories whose accreditation is valid today, by name: those a sample can be
    sent to through certtrack; of `products` (codes) given, those whose scope covers one of
    their tests (a veterinary sample was offered the grain laboratory alone)."""
    laboratories = list(db.session.scalars(select(Laboratory).where(
        Laboratory.accredited_until >= local_today()).order_by(Laboratory.name)))
    if products is None:
        return laboratories
    limits = limits_for_products(products)  # once, whatever the number of laboratories
    return [lab for lab in laboratories if covers(lab, products, limits)]


def accredited(laboratory_id: int) -> Laboratory | None:
    """The laboratory if its accreditation is valid today, else None."""
    laboratory = db.session.get(Laboratory, laboratory_id)
    if laboratory is None or laboratory.accredited_until < local_today():
        return None
    return laboratory
