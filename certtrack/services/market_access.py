"""Market access: loading protocols, crossings and protocol wording, and the gate they make."""

from datetime import date
from pathlib import Path

from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from certtrack.domain.market_access import (
    DATE_PRECISIONS,
    Access,
    ProtocolStatus,
    judge_access,
    known_part,
    read_protocol_date,
)
from certtrack.extensions import db
from certtrack.models import (
    BorderCrossing,
    MarketAccess,
    Product,
    ProtocolDeclaration,
    Region,
    User,
)
from certtrack.models.base import utcnow
from certtrack.services.audit import record_event
from certtrack.services.errors import NotFound, ValidationFailed
from certtrack.services.inputs import MarketAccessInput  # noqa: F401 - the input it takes
from certtrack.services.limits import CONFIDENCES
from certtrack.services.local_dates import local_day
from certtrack.services.numerals import listed
from certtrack.services.permissions import require_admin
from certtrack.services.transaction import check_loaded_version, transaction

CHINA = "CN"
DECLARATION_TEXTS = ("text_en", "text_ru", "text_kk", "text_zh")


TRANSLATED_NAMES = tuple(f"protocol_name_{language}" for language in ("ru", "kk", "zh"))


def _load_market_access(folder: Path, rows, sync) -> int:
    file_rows = list(rows(folder, "market_access.csv"))
    changed = sync(MarketAccess, ("product_code", "country"), [
        ({"product_code": r["product"], "country": r["country"]}, {
            "protocol_status": r["protocol_status"], "protocol_name": r["protocol_name"],
            **{name: r[name] for name in TRANSLATED_NAMES},
            **dict(zip(("protocol_date", "protocol_date_precision"),
                       read_protocol_date(r["protocol_date"]), strict=True)),
            "gacc_category_code": r["gacc_category"],
            "accepted_regions": " ".join(r["accepted_regions"].split()),
            "source": r["source"], "confidence": r["confidence"]})
        for r in file_rows], delete_missing=True)
    return changed + _translate_edited_rows(file_rows)


def _translate_edited_rows(file_rows: list[dict]) -> int:
    """Give a row an administrator edited the file's translations of its protocol's name, only
    while its English name is still the file's and it has none yet (a database older than
    them); the edit itself stays."""
    by_key = {(r["product"], r["country"]): r for r in file_rows}
    changed = 0
    for row in db.session.scalars(select(MarketAccess).where(MarketAccess.edited_at.is_not(None))):
        wanted = by_key.get((row.product_code, row.country))
        if (wanted is None or row.protocol_name != wanted["protocol_name"]
                or any(getattr(row, name) for name in TRANSLATED_NAMES)):
            continue
        for name in TRANSLATED_NAMES:
            setattr(row, name, wanted[name])
        changed += 1
    return changed


def _load_crossings(folder: Path, rows, sync) -> int:
    names = ("name_en", "name_ru", "name_kk", "name_zh")
    return sync(BorderCrossing, ("code",), [
        ({"code": r["code"]}, {**{key: r[key] for key in names}, "mode": r["mode"],
                               "source": r["source"], "confidence": r["confidence"]})
        for r in rows(folder, "crossings.csv")])


def _load_declarations(folder: Path, rows, sync) -> int:
    return sync(ProtocolDeclaration, ("code",), [
        ({"code": r["code"]}, {**{key: r[key] for key in DECLARATION_TEXTS}, "kind": r["kind"],
                               "products": " ".join(r["products"].split()),
                               "tested_by": " ".join(r["tested_by"].split()),
                               "source": r["source"], "confidence": r["confidence"]})
        for r in rows(folder, "protocol_declarations.csv")])


LOADERS = (
    ("market access", _load_market_access),
    ("border crossings", _load_crossings),
    ("protocol declarations", _load_declarations),
)


def access_row(product_code: str, country: str = CHINA) -> MarketAccess | None:
    """The market-access row of a product for a country, if the reference data has one."""
    return db.session.get(MarketAccess, (product_code, country))


def judge(product: Product, origin_region: str | None = None) -> Access:
    """Take a catalogue product and, for a consignment, its region of origin; return the
    verdict of the market-access data for China."""
    row = access_row(product.code)
    if row is None:
        return judge_access(None, ())
    return judge_access(row.protocol_status, row.region_codes, origin_region)


def _locale(locale: str | None) -> str:
    return locale or str(get_locale() or "en")


def product_label(product: Product, locale: str | None = None) -> str:
    """The product's name in the reader's language, with its HS code."""
    return f"{product.name_in(_locale(locale))} (HS {product.hs_code})"


def refusal(product: Product, origin_region: str | None = None,
            locale: str | None = None) -> str | None:
    """Why the product may not go to China (from that region), in words; None when it may."""
    verdict = judge(product, origin_region)
    label = product_label(product, locale)
    if verdict == Access.no_data:
        return _("China's market access for %(product)s is not in the reference data, so it "
                 "cannot be exported yet.", product=label)
    if verdict == Access.no_protocol:
        return _("No protocol with China covers %(product)s: China does not accept it yet.",
                 product=label)
    if verdict == Access.region_not_accepted:
        region = db.session.get(Region, origin_region)
        return _("China does not accept %(product)s from %(region)s: the region is outside "
                 "the zones the protocol recognises.", product=label,
                 region=region.name_in(_locale(locale)) if region else origin_region)
    return None


def warning(product: Product, locale: str | None = None) -> str | None:
    """A warning when the product goes to China under a trial arrangement only, else None."""
    if judge(product) != Access.trial:
        return None
    return _("%(product)s goes to China under a trial arrangement only (%(source)s); check the "
             "current conditions before shipping.", product=product_label(product, locale),
             source=access_row(product.code).protocol_name_in(_locale(locale))
             or _("no protocol text seen"))


def crossings() -> list[BorderCrossing]:
    """The border crossings, by English name."""
    return list(db.session.scalars(select(BorderCrossing).order_by(BorderCrossing.name_en)))


def market_access_rows() -> list[MarketAccess]:
    """Every market-access row for China, by product's HS code."""
    return list(db.session.scalars(select(MarketAccess).join(Product)
                                   .where(MarketAccess.country == CHINA)
                                   .order_by(Product.hs_code, Product.code)))


def declarations_for(kind: str, product_codes) -> list[ProtocolDeclaration]:
    """The protocol wording of `kind` (phyto or vet) that applies to any of the products."""
    wanted = set(product_codes)
    rows = db.session.scalars(select(ProtocolDeclaration).where(ProtocolDeclaration.kind == kind)
                              .order_by(ProtocolDeclaration.code))
    return [row for row in rows if wanted & set(row.products.split())]


def list_access_rows(actor: User) -> list[MarketAccess]:
    """Every product's market-access row for China, for an administrator.

    :raise PermissionDenied: not an administrator.
    """
    require_admin(actor, _("Only administrators manage the reference data."))
    return market_access_rows()


def get_access_row(actor: User, product_code: str) -> MarketAccess:
    """One product's market-access row for China, for an administrator.

    :raise PermissionDenied: not an administrator. :raise NotFound: no such row.
    """
    require_admin(actor, _("Only administrators manage the reference data."))
    row = access_row(product_code)
    if row is None:
        raise NotFound(_("No such product."))
    return row


PROTOCOL_DATE_FUTURE = _l("A protocol is signed before it applies: enter the day it was signed, "
                          "not a future one.")


def _access_errors(data: MarketAccessInput, regions: set[str]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if data.protocol_status not in set(ProtocolStatus):
        errors["protocol_status"] = [_("Choose the protocol's status.")]
    if data.protocol_status != ProtocolStatus.none and not (data.protocol_name or "").strip():
        errors["protocol_name"] = [_("Name the protocol (or choose “no protocol”).")]
    unknown = set((data.accepted_regions or "").split()) - regions
    if unknown:
        errors["accepted_regions"] = [_("Unknown region codes: %(codes)s.",
                                        codes=listed(sorted(unknown)))]
    if data.protocol_date is not None and data.protocol_date > local_day(utcnow()):
        errors["protocol_date"] = [str(PROTOCOL_DATE_FUTURE)]
    if data.protocol_date_precision not in DATE_PRECISIONS:
        errors["protocol_date_precision"] = [_("Choose how much of the date is known.")]
    if not (data.source or "").strip():
        errors["source"] = [_("Name the source.")]
    if data.confidence not in CONFIDENCES:
        errors["confidence"] = [_("Choose V, S or U.")]
    return errors


def update_market_access(actor: User, row: MarketAccess, data: MarketAccessInput) -> bool:
    """Change a product's protocol with China (status, name, date and how much of it is known,
    accepted regions of origin) with its source and confidence; the gate applies it to the next
    application or consignment.

    The reference loader keeps the edit from then on; one audit row with before and after.
    Returns False when nothing changed.
    :raise PermissionDenied: not an administrator.
    :raise ValidationFailed: an unknown status or region, no protocol name, no source.
    :raise Conflict: saved by someone else since the page was loaded.
    """
    require_admin(actor, _("Only administrators manage the reference data."))
    regions = set(db.session.scalars(select(Region.code)))
    if errors := _access_errors(data, regions):
        raise ValidationFailed(errors)
    values = {"protocol_status": data.protocol_status,
              "protocol_name": (data.protocol_name or "").strip(),
              **{name: (getattr(data, name) or "").strip() for name in TRANSLATED_NAMES},
              "protocol_date": data.protocol_date and known_part(
                  data.protocol_date, data.protocol_date_precision),
              "protocol_date_precision": data.protocol_date_precision,
              "accepted_regions": " ".join(sorted(set((data.accepted_regions or "").split()))),
              "source": data.source.strip(), "confidence": data.confidence}
    before = {name: getattr(row, name) for name in values}
    if before == values:
        return False
    check_loaded_version(row, data.version)
    with transaction():
        for name, value in values.items():
            setattr(row, name, value)
        row.edited_at = utcnow()
        record_event(actor, "market_access_updated", object_type="market_access",
                     object_id=None, data={"product": row.product_code, "country": row.country,
                                           "before": _plain(before), "after": _plain(values)})
    return True


def _plain(values: dict) -> dict:
    return {k: v.isoformat() if isinstance(v, date) else v for k, v in values.items()}
