"""Pages of a list whose total is counted from the WHERE clause alone."""

from sqlalchemy import Select

from certtrack.extensions import db

MAX_PER_PAGE = 100


def paginate(query: Select, count: Select | int, *, page: int, per_page: int):
    """Take the page's SELECT (ordered, with its eager loads) and a COUNT of the same rows (or
    the number, when the caller knows it already); return a Flask-SQLAlchemy Pagination of
    that page (a page past the end is empty, not 404).

    Flask-SQLAlchemy would count over the page's statement wrapped in a subquery, joins and
    all; a COUNT of the bare conditions is answered from an index.
    """
    pagination = db.paginate(query, page=page, per_page=per_page, max_per_page=MAX_PER_PAGE,
                             error_out=False, count=False)
    pagination.total = count if isinstance(count, int) else db.session.scalar(count)
    return pagination
