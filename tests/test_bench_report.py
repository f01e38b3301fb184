"""`make bench`'s verdicts: what the printed table and budget lines say for given figures."""

from bench import actions, report, throughput


def _page(name: str, rps: float | None, local_rps: float = 50.0, budgeted: bool = True,
          http: bool = True) -> dict:
    row = {"name": name, "budgeted": budgeted,
           "in_process": {"rps": local_rps, "p50_ms": 10.0, "p95_ms": 12.0, "queries": 5}}
    if http:
        row["http"] = {"rps": rps, "p50_ms": 20.0, "p95_ms": 30.0}
    return row


def _engine(label: str, pages: list[dict]) -> dict:
    return {"label": label, "floor": _page("floor (one indexed query)", 1000.0, 2000.0, False),
            "pages": pages}


def test_postgresql_within_one_and_a_half_times_sqlite_per_list_page():
    sqlite = _engine("SQLite", [_page("register search", 120.0), _page("overview", 60.0),
                                _page("dashboard", 200.0, budgeted=False)])
    postgres = _engine("PostgreSQL", [_page("register search", 90.0), _page("overview", 30.0),
                                      _page("dashboard", 50.0, budgeted=False)])
    lines = report.engine_verdicts(sqlite, postgres)
    assert [(v["line"], v["met"]) for v in lines] == [
        ("PostgreSQL within 1.5x of SQLite (req/s): register search", True),
        ("PostgreSQL within 1.5x of SQLite (req/s): overview", False)]
    assert lines[1]["figure"] == "2.00x (30.0 vs 60.0 req/s, HTTP)"
    table = report.side_by_side_table(sqlite, postgres)
    assert "1.33x" in table and "within 1.5x" in table and "NOT within 1.5x" in table
    assert "4.00x" in table  # the dashboard's ratio is shown, without a verdict


def test_without_http_both_engines_compare_in_process():
    sqlite = _engine("SQLite", [_page("register search", None, 100.0, http=False)])
    postgres = _engine("PostgreSQL", [_page("register search", None, 80.0, http=False)])
    [line] = report.engine_verdicts(sqlite, postgres)
    assert line["met"] is True
    assert line["figure"] == "1.25x (80.0 vs 100.0 req/s, in-process)"


def test_a_page_that_served_nothing_over_http_fails_its_line():
    sqlite = _engine("SQLite", [_page("register search", 40.0)])
    postgres = _engine("PostgreSQL", [_page("register search", 0.0, 80.0)])
    [line] = report.engine_verdicts(sqlite, postgres)
    assert line["met"] is False
    assert line["figure"] == "no request completed (HTTP)"


def _action(p95: float, **extra) -> dict:
    return {"posts": 30, "p50_ms": p95 / 2, "p95_ms": p95, "max_ms": p95 + 5, **extra}


def test_action_lines_fail_above_150_ms_and_the_issue_transaction_above_50_ms():
    figures = {"recommend": _action(120.0), "send batch": _action(151.0),
               "issue certificate": _action(140.0, write_transaction=_action(55.0))}
    lines = {v["line"]: v["met"] for v in actions.verdicts("SQLite", figures)}
    assert lines == {
        "SQLite: recommend answers in <= 150 ms p95 (in-process)": True,
        "SQLite: send batch answers in <= 150 ms p95 (in-process)": False,
        "SQLite: issue certificate answers in <= 150 ms p95 (in-process)": True,
        "SQLite: the issue's write transaction <= 50 ms": False,
    }


def test_an_action_whose_posts_did_not_all_succeed_fails():
    figures = {"recommend": _action(20.0, note="1 POSTs not redirected [422], 58 of 60 done")}
    lines = actions.verdicts("PostgreSQL", figures)
    assert lines[0]["met"] is False and "58 of 60 done" in lines[0]["figure"]
    assert all(v["met"] is False for v in lines)  # the others were not measured


def test_queue_throughput_within_twice_the_serial_time():
    queue = {"certificates": 100, "threads": 2, "issue_seconds": 6.0, "worker_seconds": 45.0,
             "serial_seconds": 30.0, "serial_per_certificate": 0.3, "ratio": 1.5}
    assert throughput.verdict("SQLite", queue)["met"] is True
    assert throughput.verdict("SQLite", {**queue, "ratio": 2.1})["met"] is False
    stuck = throughput.verdict("SQLite", None, "PDFs still missing after 900 s")
    assert stuck["met"] is False and stuck["figure"] == "PDFs still missing after 900 s"
