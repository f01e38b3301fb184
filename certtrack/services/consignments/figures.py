"""Figures of consignment certificates: per week, crossing and product, per registration, and
the overdue consignments. A fixed number of queries whatever the number of rows."""

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import func, select

from certtrack.domain.consignment import OPEN_CONSIGNMENT_STATES
from certtrack.extensions import db
from certtrack.models import (
    Consignment,
    ConsignmentCertificate,
    ConsignmentLot,
    Product,
    Registration,
)
from certtrack.services.applications import local_today

WEEKS = 12
PERIOD_DAYS = 365  # the points of entry and products: the last 12 months, as the medians
OVERDUE_SHOWN = 20
_OPEN = [state.value for state in OPEN_CONSIGNMENT_STATES]
# A certificate cancelled, or withdrawn after a correction: its goods did not leave.
_GOODS_STAYED = ("cancelled", "withdrawn")
# Tonnes are summed as kilograms, so that a registration's quantities add up in one unit.
_KG = {"kg": Decimal(1), "t": Decimal(1000)}


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def per_week(today: date, weeks: int = WEEKS) -> list[tuple[date, int]]:
    """Certificates issued in each of the last `weeks` weeks (Monday first), oldest first."""
    first = _monday(today) - timedelta(weeks=weeks - 1)
    rows = db.session.execute(
        select(ConsignmentCertificate.issued_on, func.count(ConsignmentCertificate.id))
        .where(ConsignmentCertificate.issued_on >= first)
        .group_by(ConsignmentCertificate.issued_on))
    counts: dict[date, int] = defaultdict(int)
    for day, count in rows:
        counts[_monday(day)] += count
    return [(first + timedelta(weeks=n), counts[first + timedelta(weeks=n)])
            for n in range(weeks)]


def per_crossing(today: date, days: int = PERIOD_DAYS) -> dict[str, int]:
    """Certificates issued per point of entry (crossing code) in the last `days` days."""
    return dict(db.session.execute(
        select(Consignment.crossing_code, func.count(ConsignmentCertificate.id))
        .join(Consignment, Consignment.id == ConsignmentCertificate.consignment_id)
        .where(ConsignmentCertificate.issued_on > today - timedelta(days=days))
        .group_by(Consignment.crossing_code)).all())


def per_product(today: date, days: int = PERIOD_DAYS) -> dict[str, int]:
    """Certificates issued per product in the last `days` days (a certificate of two products
    counts for both)."""
    return dict(db.session.execute(
        select(ConsignmentLot.product_code,
               func.count(func.distinct(ConsignmentCertificate.id)))
        .join(ConsignmentLot, ConsignmentLot.consignment_id
              == ConsignmentCertificate.consignment_id)
        .where(ConsignmentCertificate.issued_on > today - timedelta(days=days))
        .group_by(ConsignmentLot.product_code)).all())


def overdue(today: date, limit: int = OVERDUE_SHOWN) -> tuple[int, list]:
    """Open consignments past their deadline: how many, and the `limit` most overdue rows
    (reference id, kind, region, China number, deadline)."""
    late = (Consignment.state.in_(_OPEN), Consignment.deadline < today)
    total = db.session.scalar(select(func.count(Consignment.id)).where(*late)) or 0
    rows = db.session.execute(
        select(Consignment.id, Consignment.kind, Consignment.region_code,
               Registration.china_number, Consignment.deadline)
        .join(Registration, Registration.id == Consignment.registration_id)
        .where(*late).order_by(Consignment.deadline, Consignment.id).limit(limit)).all()
    return total, rows


def consignment_figures() -> dict:
    """The dashboard's consignment figures."""
    today = local_today()
    total, rows = overdue(today)
    return {"certificates_per_week": per_week(today), "certificates_per_crossing":
            per_crossing(today), "certificates_per_product": per_product(today),
            "consignments_overdue": total, "overdue_consignments": rows}


def registration_certificates(registration: Registration) -> dict:
    """A registration's consignment certificates, newest issue first, with the number that
    replaces each replaced one, and the net quantity per product and year of issue, in
    kilograms."""
    certificates = list(db.session.scalars(
        select(ConsignmentCertificate)
        .where(ConsignmentCertificate.registration_id == registration.id)
        .order_by(ConsignmentCertificate.issued_on.desc(), ConsignmentCertificate.id.desc())))
    replaced_by = {c.replaces_id: c.number for c in certificates if c.replaces_id is not None}
    rows = db.session.execute(
        select(ConsignmentCertificate.year, ConsignmentLot.product_code,
               ConsignmentLot.weight_unit, func.sum(ConsignmentLot.net_weight))
        .join(ConsignmentLot, ConsignmentLot.consignment_id
              == ConsignmentCertificate.consignment_id)
        .join(Consignment, Consignment.id == ConsignmentCertificate.consignment_id)
        .where(ConsignmentCertificate.registration_id == registration.id,
               ConsignmentCertificate.replaces_id.is_(None),
               Consignment.state.not_in(_GOODS_STAYED))
        .group_by(ConsignmentCertificate.year, ConsignmentLot.product_code,
                  ConsignmentLot.weight_unit))
    totals: dict[tuple[int, str], Decimal] = defaultdict(Decimal)
    for year, product, unit, net in rows:
        totals[(year, product)] += Decimal(net or 0) * _KG.get(unit, Decimal(1))
    products = {p.code: p for p in db.session.scalars(
        select(Product).where(Product.code.in_({code for _year, code in totals})))}
    return {"certificates": certificates, "replaced_by": replaced_by,
            "quantities": [(year, products[code], kg) for (year, code), kg in
                           sorted(totals.items(), key=lambda row: (-row[0][0], row[0][1]))]}
