"""Laboratory limits: which ones apply to a product, and the administrators' edits of them."""

from collections.abc import Iterable
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from certtrack.domain.compliance import Limit, LimitKind, UnitError, normalize_unit
from certtrack.domain.scripts import latin
from certtrack.domain.vocabulary import Confidence, codes
from certtrack.extensions import db
from certtrack.models import LabLimit, Product, User
from certtrack.models.base import utcnow
from certtrack.services.audit import record_event
from certtrack.services.errors import NotFound, ValidationFailed
from certtrack.services.inputs import LimitInput
from certtrack.services.numerals import listed
from certtrack.services.permissions import require_admin
from certtrack.services.sources import source_in
from certtrack.services.transaction import check_loaded_version, transaction

CONFIDENCES = codes(Confidence)
MATRIX_TRANSLATIONS = ("matrix_ru", "matrix_kk", "matrix_zh")
EDITABLE_FIELDS = ("value", "unit", "matrix", *MATRIX_TRANSLATIONS, "products", "source",
                   "confidence", "required")


def result_validity_days(product_code: str) -> int | None:
    """The most days a laboratory result on the product counts, its test day the first (the
    product's reference data: one month for chilled beef, domain.md §5); None: no end."""
    product = db.session.get(Product, product_code)
    return product.result_valid_days if product is not None else None


def product_codes(limit: LabLimit) -> list[str]:
    """The product codes a limit row applies to (its space-separated `products`)."""
    return limit.products.split()


def limits_for_products(codes: Iterable[str]) -> list[LabLimit]:
    """The limit rows in force that apply to any of the product codes, by parameter and
    matrix (a row a newer standard superseded is kept for its results, never offered)."""
    wanted = set(codes)
    rows = [row for row in db.session.scalars(select(LabLimit).where(
        LabLimit.superseded_by_id.is_(None))) if wanted.intersection(product_codes(row))]
    return sorted(rows, key=lambda row: (row.parameter.casefold(), row.matrix.casefold()))


def to_domain_limit(row: LabLimit) -> Limit:
    """The domain's `Limit` for a row; presence/absence rows carry no unit."""
    unit = None if row.kind == LimitKind.absent or not row.unit else row.unit
    return Limit(parameter=row.parameter, matrix=row.matrix, kind=row.kind, value=row.value,
                 unit=unit, source=row.source, confidence=row.confidence)


def list_limits(actor: User, *, text: str = "", product: str = "",
                kind: str = "") -> list[LabLimit]:
    """The limit rows matching a text (the parameter or matrix in any language, or the
    source), a product code and a kind.

    The text is matched in Python, as in reference.search_products: SQLite folds the case of
    ASCII letters only. The table is small.
    :raise PermissionDenied: the actor is not an administrator.
    """
    require_admin(actor, _("Only administrators manage the reference data."))
    query = select(LabLimit).order_by(LabLimit.parameter, LabLimit.matrix)
    if kind:
        query = query.where(LabLimit.kind == kind)
    rows = list(db.session.scalars(query))
    if product:
        rows = [row for row in rows if product in product_codes(row)]
    needle = text.strip().casefold()
    return [row for row in rows if needle in _searched(row)] if needle else rows


def _searched(row: LabLimit) -> str:
    """What the administrators' search looks in: names, matrices and source, case-folded."""
    languages = ("en", "ru", "kk", "zh")
    names = [row.matrix, *(getattr(row, field) for field in MATRIX_TRANSLATIONS),
             *(row.parameter_in(language) for language in languages),
             *(source_in(row.source, language) for language in languages)]
    return "\n".join(names).casefold()


def get_limit(actor: User, limit_id: int) -> LabLimit:
    """One limit row for an administrator.

    :raise PermissionDenied: the actor is not an administrator.
    :raise NotFound: no such row.
    """
    require_admin(actor, _("Only administrators manage the reference data."))
    row = db.session.get(LabLimit, limit_id)
    if row is None:
        raise NotFound(_("No such limit."))
    return row


def _value_and_unit(row: LabLimit, data: LimitInput, errors: dict) -> tuple[Decimal | None, str]:
    value, unit = data.value, (data.unit or "").strip()
    if row.kind == LimitKind.absent:
        return None, ""
    if value is not None and value < 0:
        errors["value"] = [_("A limit cannot be negative.")]
    if row.kind == LimitKind.max and value is None:
        errors["value"] = [_("A maximum limit needs a value.")]
    elif row.kind == LimitKind.max and value <= 0:
        # Zero tolerance is not a maximum (docs/domain.md §5): a banned substance is a
        # "not detected" limit, judged by detection at the LOQ; a maximum of 0 fails every
        # result measured, however small.
        errors["value"] = [_("A maximum limit is above 0: with 0, every result measured "
                             "fails. A substance that must not be found at all has a limit of "
                             "the kind “Must not be detected”, not a maximum of 0.")]
    if row.kind == LimitKind.max or unit:
        try:
            unit = normalize_unit(unit)
        except UnitError:
            errors["unit"] = [_("Use mg/kg, µg/kg, ppm or ppb.")]
    return value, unit


def _products(data: LimitInput, errors: dict) -> str:
    codes = list(dict.fromkeys((data.products or "").split()))
    known = set(db.session.scalars(select(Product.code).where(Product.code.in_(codes))))
    unknown = [code for code in codes if code not in known]
    if not codes:
        errors["products"] = [_("Choose at least one product.")]
    elif unknown:
        errors["products"] = [_("Unknown product codes: %(codes)s.", codes=listed(unknown))]
    return " ".join(codes)


def _translations(row: LabLimit, data: LimitInput) -> dict:
    """The matrix in the other languages: as entered, or the row's when the input names none."""
    return {field: getattr(row, field) if getattr(data, field) is None
            else getattr(data, field).strip() for field in MATRIX_TRANSLATIONS}


def _validated(row: LabLimit, data: LimitInput) -> dict:
    errors: dict[str, list[str]] = {}
    value, unit = _value_and_unit(row, data, errors)
    values = {"value": value, "unit": unit, "products": _products(data, errors),
              "matrix": (data.matrix or "").strip(),
              **_translations(row, data),
              "source": (data.source or "").strip(),
              "confidence": data.confidence, "required": bool(data.required)}
    if not values["matrix"]:
        errors["matrix"] = [_("Describe the matrix the limit applies to.")]
    elif db.session.scalar(select(LabLimit.id).where(
            LabLimit.parameter == row.parameter, LabLimit.matrix == values["matrix"],
            LabLimit.id != row.id)):
        errors["matrix"] = [_("This parameter already has a limit for this matrix.")]
    if not values["source"]:
        errors["source"] = [_("Name the source of the limit.")]
    for name in ("matrix", "source"):  # the other languages' readers see these as written
        if values[name] and not latin(values[name]):
            errors.setdefault(name, []).append(_("Write this in English, in Latin letters: "
                                                 "it is shown as written in every language."))
    if values["confidence"] not in CONFIDENCES:
        errors["confidence"] = [_("Choose V, S or U.")]
    if errors:
        raise ValidationFailed(errors)
    return values


def _plain(value):
    return format(value.normalize(), "f") if isinstance(value, Decimal) else value


def update_limit(actor: User, row: LabLimit, data: LimitInput) -> dict:
    """Change a limit's value, unit, matrix (in the four languages), products, source,
    confidence and required flag.

    Writes one audit row with the fields before and after; returns the changed fields.
    :raise PermissionDenied: the actor is not an administrator.
    :raise ValidationFailed: a negative or missing value, an unknown unit or product code, a
        matrix the parameter already has, an empty source or an unknown confidence.
    :raise Conflict: saved by someone else since the page was loaded.
    """
    require_admin(actor, _("Only administrators manage the reference data."))
    values = _validated(row, data)
    changed = {field: value for field, value in values.items()
               if _plain(getattr(row, field)) != _plain(value)}
    if not changed:
        return {}
    check_loaded_version(row, data.version)
    before = {field: _plain(getattr(row, field)) for field in changed}
    try:
        with transaction():
            for field, value in changed.items():
                setattr(row, field, value)
            row.edited_at = utcnow()
            record_event(actor, "limit_updated", object_type="lab_limit", object_id=row.id,
                         data={"parameter": row.parameter, "before": before,
                               "after": {field: _plain(v) for field, v in changed.items()}})
    except IntegrityError as error:  # the same matrix saved by a racing request
        raise ValidationFailed({"matrix": [_("This parameter already has a limit for this "
                                             "matrix.")]}) from error
    return changed
