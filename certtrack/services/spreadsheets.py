"""CSV for spreadsheets: cells that a spreadsheet shows as text and never runs as a formula
(OWASP "CSV injection"), and lines written one at a time for a download that streams."""

import csv
import io
from collections.abc import Iterable, Iterator

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell(value) -> str:
    """A CSV cell that a spreadsheet shows as text, never runs as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def lines(rows: Iterable[Iterable]) -> Iterator[str]:
    """Each row as one CSV line (cells made safe), for a streamed download."""
    out = io.StringIO()
    writer = csv.writer(out)
    for row in rows:
        writer.writerow([cell(value) for value in row])
        yield out.getvalue()
        out.seek(0)
        out.truncate()
