"""Each finding's corrective-action evidence stands on its own: the evidence for the second
finding was listed as a newer version of the first's, which showed "superseded" and was left
out of the dossier to GACC, and both read "Not reviewed yet" after their findings closed."""

import io
import re

from test_inspector_inspection import (
    _checklist,
    _day,
    _finding,
    _fresh,
    _page,
    _schedule,
    _url,
    reviewed,  # noqa: F401 (a fixture)
)

from certtrack.services import dossier_context

from factories import PDF_BYTES
from forms import login, post


def _rows(page: str) -> dict[str, str]:
    """The documents table's rows, by file name: the row's text."""
    return {name: re.sub(r"<[^>]+>", " ", row) for row in re.findall(r"<tr.*?</tr>", page, re.S)
            for name in re.findall(r">(ev-[\w.-]+\.pdf)<", row)}


def test_each_findings_evidence_is_in_force_and_in_the_dossier(reviewed, client):  # noqa: F811
    exporter, inspector, _colleague, application = reviewed
    _schedule(client, application, inspector)
    pests = _finding(client, application, "major", "Pest control")
    records = _finding(client, application, "minor", "Cleaning records")
    assert post(client, _url(application, "/inspection"), _checklist()).status_code == 302
    assert post(client, _url(application, "/corrective-actions"), {
        "confirm": "y", f"action_{pests.id}": "Install traps", f"due_{pests.id}": _day(20),
        f"action_{records.id}": "Keep a log", f"due_{records.id}": _day(10)}).status_code == 302
    exporter_client = client.application.test_client()
    login(exporter_client, exporter.email)

    def upload(finding, name, content=PDF_BYTES):
        assert post(exporter_client,
                    f"/exporter/applications/{application.id}/findings/{finding.id}/evidence",
                    {"file": (io.BytesIO(content), name), "note": "Done"},
                    content_type="multipart/form-data").status_code == 302

    upload(pests, "ev-traps.pdf")
    upload(records, "ev-log.pdf", PDF_BYTES + b"log")
    assert post(client, _url(application, f"/findings/{pests.id}/verify"),
                {"decision": "close"}).status_code == 302
    rows = _rows(_page(client.get(_url(application))))
    assert "superseded" not in rows["ev-traps.pdf"] and "superseded" not in rows["ev-log.pdf"]
    assert "Finding 1: Closed" in rows["ev-traps.pdf"]
    assert "Finding 2: Evidence submitted" in rows["ev-log.pdf"]
    assert "Not reviewed yet" not in rows["ev-traps.pdf"] + rows["ev-log.pdf"]
    # New evidence for the second finding replaces its own, not the first finding's.
    assert post(client, _url(application, f"/findings/{records.id}/verify"),
                {"decision": "reopen", "comment": "The log is empty"}).status_code == 302
    upload(records, "ev-log-2.pdf", PDF_BYTES + b"log 2")
    rows = _rows(_page(exporter_client.get(f"/exporter/applications/{application.id}")))
    assert "superseded" in rows["ev-log.pdf"]
    assert "superseded" not in rows["ev-traps.pdf"] + rows["ev-log-2.pdf"]
    listed = [d["filename"] for d in dossier_context._documents(_fresh(application))]
    assert "ev-traps.pdf" in listed and "ev-log-2.pdf" in listed
    assert "ev-log.pdf" not in listed
