"""Findings and corrective actions in the dossier to GACC: the inspector writes them in Kazakh
or Russian, as the exporter reads them, and gives their English or Chinese version, which the
dossier prints (it printed them in Cyrillic, which China's customs do not read)."""

import io

from sqlalchemy import func, select
from test_inspector_inspection import (
    _checklist,
    _day,
    _fresh,
    _page,
    _schedule,
    _url,
    reviewed,  # noqa: F401 (a fixture)
)

from certtrack.extensions import db
from certtrack.models import Finding
from certtrack.services import dossier_context

from factories import PDF_BYTES
from forms import login, post

NEEDED = ("Give it in English or Chinese too: the recommendation dossier sent to China's "
          "customs prints this version.")
SCRIPT = ("Write it in Latin or Chinese script: the recommendation dossier sent to China's "
          "customs prints it as written.")
RUSSIAN = {"requirement": "Условия хранения", "observation": "Нет записей температуры",
           "clause": "GB 2761", "severity": "major"}
ENGLISH = {"requirement_en": "Storage conditions", "observation_en": "No temperature records"}


def _findings() -> int:
    return db.session.scalar(select(func.count()).select_from(Finding))


def test_a_finding_in_russian_needs_its_version_for_the_dossier(reviewed, client):  # noqa: F811
    _exporter, inspector, _colleague, application = reviewed
    _schedule(client, application, inspector)
    assert "Observation for the dossier, in English or Chinese" in _page(
        client.get(_url(application)))
    response = post(client, _url(application, "/findings"), RUSSIAN)
    assert response.status_code == 422
    page = _page(response)
    assert f'id="requirement_en-error">{NEEDED}' in page
    assert f'id="observation_en-error">{NEEDED}' in page
    assert "Нет записей температуры" in page  # kept as typed
    cyrillic = post(client, _url(application, "/findings"),
                    RUSSIAN | ENGLISH | {"observation_en": "Нет записей"})
    assert cyrillic.status_code == 422
    assert f'id="observation_en-error">{SCRIPT}' in _page(cyrillic)
    assert _findings() == 0
    assert post(client, _url(application, "/findings"), RUSSIAN | ENGLISH).status_code == 302
    finding = db.session.scalar(select(Finding))
    assert (finding.observation, finding.observation_en) == ("Нет записей температуры",
                                                             "No temperature records")
    page = _page(client.get(_url(application)))
    assert "For the dossier: Storage conditions — No temperature records" in page


def test_a_finding_written_in_english_or_chinese_needs_no_second_version(reviewed, client):  # noqa: F811
    _exporter, inspector, _colleague, application = reviewed
    _schedule(client, application, inspector)
    assert post(client, _url(application, "/findings"), {
        "requirement": "Storage 储存", "observation": "4号筒仓没有温度记录", "clause": "",
        "severity": "minor"}).status_code == 302
    (row,) = dossier_context._findings(_fresh(application))[0]
    assert (row["requirement"], row["description"]) == ("Storage 储存", "4号筒仓没有温度记录")


def test_the_dossier_gives_a_findings_clause_when_gacc_reads_it(reviewed, client):  # noqa: F811
    """The clause ("Decree 248 Art. 8") showed on the pages, never in the dossier."""
    _exporter, inspector, _colleague, application = reviewed
    _schedule(client, application, inspector)
    for clause in ("Decree 248 Art. 8", "Приказ № 248, ст. 8"):
        assert post(client, _url(application, "/findings"), RUSSIAN | ENGLISH | {
            "clause": clause}).status_code == 302
    printed = [row["requirement"] for row in dossier_context._findings(_fresh(application))[0]]
    assert printed == ["Storage conditions (Decree 248 Art. 8)", "Storage conditions"]


def test_the_dossier_prints_the_english_versions_and_no_cyrillic(reviewed, client):  # noqa: F811
    exporter, inspector, _colleague, application = reviewed
    _schedule(client, application, inspector)
    assert post(client, _url(application, "/findings"), RUSSIAN | ENGLISH).status_code == 302
    finding = db.session.scalar(select(Finding))
    assert post(client, _url(application, "/inspection"), _checklist()).status_code == 302
    action = {"confirm": "y", f"action_{finding.id}": "Вести журнал температуры",
              f"due_{finding.id}": _day(10)}
    response = post(client, _url(application, "/corrective-actions"), action)
    assert response.status_code == 422
    assert f'id="dossier_action_{finding.id}-error">{NEEDED}' in _page(response)
    assert _fresh(application).state == "inspected"
    assert post(client, _url(application, "/corrective-actions"), action | {
        f"dossier_action_{finding.id}": "Keep a temperature log"}).status_code == 302
    exporter_client = client.application.test_client()
    login(exporter_client, exporter.email)
    page = _page(exporter_client.get(f"/exporter/applications/{application.id}"))
    assert "Вести журнал температуры" in page  # the exporter reads the inspector's words
    assert (f'id="evidence-{finding.id}-note-hint">The inspector reads it in any language; the '
            "dossier to GACC prints it only when written in Latin or Chinese script.") in page
    url = f"/exporter/applications/{application.id}/findings/{finding.id}/evidence"
    assert post(exporter_client, url, {"file": (io.BytesIO(PDF_BYTES), "log.pdf"),
                                       "note": "Журнал жүргізіледі"},
                content_type="multipart/form-data").status_code == 302
    findings, actions = dossier_context._findings(_fresh(application))
    assert [(f["requirement"], f["description"]) for f in findings] == [
        ("Storage conditions (GB 2761)", "No temperature records")]
    assert [a["action"] for a in actions] == ["Keep a temperature log"]  # not the Kazakh note
