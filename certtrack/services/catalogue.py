"""The product finder of a new application: the HS catalogue searched by name or HS code, each
product with the GACC category it belongs to and whether China accepts it (market access)."""

from dataclasses import dataclass, field

from sqlalchemy import select

from certtrack.domain.market_access import Access, judge_access
from certtrack.extensions import db
from certtrack.models import MarketAccess, Product
from certtrack.services.market_access import CHINA

# A name or an HS code is short; a longer text is no search anyone meant.
MAX_QUERY_LENGTH = 100
MAX_MATCHES = 20


@dataclass(frozen=True)
class Match:
    """A catalogue product the search found, with China's verdict on it (no region yet)."""

    product: Product
    access: Access


@dataclass(frozen=True)
class Search:
    """What the finder shows: the text searched, its matches (at most MAX_MATCHES), whether
    more matched, and whether the text was refused as too long (then nothing is searched)."""

    text: str = ""
    matches: list[Match] = field(default_factory=list)
    more: bool = False
    too_long: bool = False


def product_matches(product: Product, text: str) -> bool:
    """Whether the product's HS code starts with `text` (dots and spaces ignored) or its name
    in any of the four languages contains it, whatever the case (text_matches)."""
    return text_matches(text, product.hs_code, (product.name_en, product.name_ru,
                                                product.name_kk, product.name_zh))


def _folded(text: str) -> str:
    """`text` as names are compared: case folded, and ё written е, as Russian and Kazakh
    usually write it ("мед" is "мёд")."""
    return text.casefold().replace("ё", "е")


def text_matches(text: str, hs_code: str, names) -> bool:
    """Whether a product of `hs_code` and `names` matches `text`: the HS code starts with it
    (dots and spaces ignored) or a name contains it, whatever the case, ё and е alike.

    Names are compared here, not in SQL: SQLite's lower() and LIKE fold only ASCII letters,
    so a Russian or Kazakh name typed in another case would be missed.
    """
    needle = _folded(" ".join(text.split()))
    digits = needle.replace(".", "").replace(" ", "")
    if digits.isdigit() and hs_code.replace(".", "").startswith(digits):
        return True
    return any(needle in _folded(name or "") for name in names)


def _verdicts(codes: list[str]) -> dict[str, Access]:
    """China's verdict on each product, from its market-access row (one query)."""
    if not codes:
        return {}
    rows = dict(db.session.execute(
        select(MarketAccess.product_code, MarketAccess.protocol_status)
        .where(MarketAccess.country == CHINA, MarketAccess.product_code.in_(codes))).all())
    return {code: judge_access(rows.get(code), ()) for code in codes}


def find_products(text: str) -> Search:
    """The catalogue's products that match `text` (product_matches), by HS code, each with
    its GACC category (loaded with it) and China's verdict: two queries, whatever matches.
    An empty text finds nothing; a text longer than MAX_QUERY_LENGTH is refused."""
    text = " ".join((text or "").split())
    if not text:
        return Search()
    if len(text) > MAX_QUERY_LENGTH:
        return Search(text=text[:MAX_QUERY_LENGTH], too_long=True)
    products = db.session.scalars(select(Product).order_by(Product.hs_code, Product.code))
    found = [product for product in products if product_matches(product, text)]
    shown = found[:MAX_MATCHES]
    verdicts = _verdicts([product.code for product in shown])
    return Search(text=text, matches=[Match(p, verdicts[p.code]) for p in shown],
                  more=len(found) > MAX_MATCHES)
