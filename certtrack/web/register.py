"""The public register of establishments registered in China, as a page and as CSV."""

from flask import Blueprint, Response, render_template, request
from flask_babel import get_locale

from certtrack.services import reference, register
from certtrack.web import labels
from certtrack.web.access import public
from certtrack.web.bounds import page_number
from certtrack.web.list_views import register_views

bp = Blueprint("register", __name__)


def _filters() -> dict:
    return {"search": request.args.get("q", "")[:200],
            "category": request.args.get("category") or None,
            "region": request.args.get("region") or None,
            "product": request.args.get("product", "")[:100]}


def _status() -> str:
    """The tab: registrations in force (active), or suspended ones."""
    status = request.args.get("status", "active")
    return status if status in register.SHOWN_STATUSES else "active"


@bp.get("/register")
@public
def index():
    """Searchable by name in any language, BIN, China number, product or HS code; in force
    and suspended registrations on two tabs; filtered; paginated."""
    filters, status = _filters(), _status()
    regions, categories = reference.regions(), reference.categories()
    unknown = _unknown_codes(filters, regions, categories)
    page = page_number()
    tabs = register.register_tabs(**filters)
    pagination = register.search_register(**filters, page=page, status=status, tabs=tabs)
    pagination.items = register_views(pagination.items)
    return render_template("public/register.html", pagination=pagination,
                           tabs=tabs, status=status, unknown_filter=bool(unknown),
                           filters=filters, regions=regions,
                           categories=categories), 400 if unknown else 200


def _unknown_codes(filters: dict, regions, categories) -> list[str]:
    """Drop from `filters` a category or region code that names none (an old or mistyped
    link); return the codes dropped, which the page says it shows everything for."""
    known = {"category": {c.code for c in categories}, "region": {r.code for r in regions}}
    dropped = [key for key in known if filters[key] and filters[key] not in known[key]]
    for key in dropped:
        filters[key] = None
    return dropped


@bp.get("/register.csv")
@public
def csv():
    """The whole register under the page's filters, as a CSV download: registrations in force
    and suspended ones, with their status (or those of one status)."""
    statuses = {code: str(text) for code, text in labels.REGISTRATION_STATUSES.items()}
    headers = {code: str(text) for code, text in labels.REGISTER_COLUMNS.items()}
    status = request.args.get("status")  # none: in force and suspended, with their status
    text = register.register_csv(**_filters(), locale=str(get_locale()), status_labels=statuses,
                                 status=status if status in register.SHOWN_STATUSES else None,
                                 headers=headers)
    return Response("\ufeff" + text, mimetype="text/csv", headers={
        "Content-Disposition": "attachment; filename=certtrack-register.csv",
        "X-Content-Type-Options": "nosniff"})
