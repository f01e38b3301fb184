"""The budget, the verdict on each of its lines, the printed table and bench/results.json."""

import json
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results.json"
LIST_SHARE_OF_FLOOR = 0.3  # the list pages' budget of issue 17: 30 % of the floor's req/s
LIST_P95_MS = 25.0
CERTIFICATE_RATIO = 1.2
TRILINGUAL_SECONDS = 0.35
DOSSIER_SECONDS_PER_PAGE = 0.1
WORKER_RSS_MB = 250.0


def _fmt(value, digits: int = 1) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:,.{digits}f}"
    return str(value)


def page_table(floor: dict, pages: list[dict]) -> str:
    """The pages as a fixed-width table: HTTP under wrk, in-process, ratio, queries."""
    head = (f"{'page':<36} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'floor':>6} "
            f"{'in-proc/s':>9} {'p50 ms':>7} {'p95 ms':>7} {'SQL':>4}")
    lines = [head, "-" * len(head)]
    for row in [floor, *pages]:
        http, local = row.get("http") or {}, row.get("in_process") or {}
        if row.get("note"):
            lines.append(f"{row['name']:<36} {row['note']}")
            continue
        lines.append(
            f"{row['name']:<36} {_fmt(http.get('rps')):>8} {_fmt(http.get('p50_ms')):>8} "
            f"{_fmt(http.get('p95_ms')):>8} {_fmt(row.get('ratio_to_floor'), 2):>6} "
            f"{_fmt(local.get('rps')):>9} {_fmt(local.get('p50_ms')):>7} "
            f"{_fmt(local.get('p95_ms')):>7} {_fmt(local.get('queries')):>4}")
    return "\n".join(lines)


def pdf_table(pdfs: dict) -> str:
    """The PDFs as a fixed-width table: seconds, pages, memory, ratio to bare WeasyPrint."""
    head = (f"{'document':<26} {'seconds':>8} {'pages':>6} {'s/page':>7} {'RSS MB':>7} "
            f"{'bare s':>7} {'ratio':>6}")
    lines = [head, "-" * len(head)]
    for name in ("certificate", "certificate, trilingual", "dossier"):
        row = pdfs.get(name)
        if not row:
            continue
        lines.append(f"{name:<26} {row['seconds']:>8.3f} {row['pages']:>6} "
                     f"{row['seconds'] / row['pages']:>7.3f} {row['rss_mb']:>7.1f} "
                     f"{row['bare_seconds']:>7.3f} {row['ratio']:>6.2f}")
    after = pdfs.get("rss_after_certificates")
    if after:
        lines.append(f"RSS after {after['renders']} certificate renders: {after['rss_mb']} MB; "
                     f"peak RSS of the PDF process: {pdfs.get('peak_rss_mb')} MB")
    return "\n".join(lines)


def _page_verdicts(floor: dict, pages: list[dict]) -> list[dict]:
    floor_rps = (floor.get("http") or {}).get("rps")
    verdicts = []
    for row in pages:
        if not row.get("budgeted"):
            continue
        http = row.get("http") or {}
        if row.get("note") or not http or not floor_rps:
            verdicts.append({"line": f"{row['name']}: >= {LIST_SHARE_OF_FLOOR:.0%} of the floor, "
                                     f"p95 <= {LIST_P95_MS:g} ms",
                             "met": False, "figure": row.get("note") or "not measured"})
            continue
        share = http["rps"] / floor_rps
        verdicts.append({
            "line": f"{row['name']}: >= {LIST_SHARE_OF_FLOOR:.0%} of the floor's req/s, "
                    f"p95 <= {LIST_P95_MS:g} ms",
            "met": share >= LIST_SHARE_OF_FLOOR and http["p95_ms"] <= LIST_P95_MS,
            "figure": f"{share:.0%} of the floor ({http['rps']:,.0f} of {floor_rps:,.0f} "
                      f"req/s), p95 {http['p95_ms']:.1f} ms"})
    return verdicts


def _pdf_verdicts(pdfs: dict) -> list[dict]:
    if not pdfs.get("certificate"):
        return []
    cert, tri, dossier = pdfs["certificate"], pdfs["certificate, trilingual"], pdfs["dossier"]
    after = pdfs["rss_after_certificates"]
    per_page = dossier["seconds"] / dossier["pages"]
    return [
        {"line": "certificate <= 1.2x bare WeasyPrint of the same HTML",
         "met": cert["ratio"] <= CERTIFICATE_RATIO,
         "figure": f"{cert['ratio']:.2f}x ({cert['seconds']:.3f} s vs {cert['bare_seconds']:.3f}"
                   " s)"},
        {"line": "trilingual certificate <= 0.35 s warm", "met": tri["seconds"] <=
         TRILINGUAL_SECONDS, "figure": f"{tri['seconds']:.3f} s"},
        {"line": "dossier <= 0.1 s per page", "met": per_page <= DOSSIER_SECONDS_PER_PAGE,
         "figure": f"{per_page:.3f} s/page ({dossier['seconds']:.2f} s, {dossier['pages']} "
                   "pages)"},
        {"line": f"worker RSS <= 250 MB after {after['renders']} certificate renders",
         "met": after["rss_mb"] <= WORKER_RSS_MB, "figure": f"{after['rss_mb']:.0f} MB"},
    ]


def verdicts(floor: dict, pages: list[dict], pdfs: dict) -> list[dict]:
    """Each budget line with met or not and the figure that decides it."""
    counts = ", ".join(f"{row['name']} {row['in_process'].get('queries')}" for row in pages
                       if row.get("in_process"))
    return [*_page_verdicts(floor, pages),
            {"line": "SQL queries per page do not grow with the rows", "met": None,
             "figure": f"asserted by tests/web/test_query_counts*.py; this run: {counts}"},
            *_pdf_verdicts(pdfs)]


def verdict_text(lines: list[dict]) -> str:
    """The budget lines, one per line, with MET / NOT MET / (see tests)."""
    words = {True: "MET    ", False: "NOT MET", None: "TESTS  "}
    return "\n".join(f"{words[v['met']]}  {v['line']}: {v['figure']}" for v in lines)


def write_results(results: dict, path: Path = RESULTS) -> None:
    """Write the whole run to results.json."""
    path.write_text(json.dumps(results, indent=2, default=str) + "\n", encoding="utf-8")


ENGINE_RATIO = 1.5


def _pair_rps(a: dict, b: dict) -> tuple[float | None, float | None, str]:
    """Both rows' req/s over HTTP when both were measured there, else in process (HTTP
    skipped), and which; None for a row that served no request."""
    if a.get("http") or b.get("http"):
        return (a.get("http") or {}).get("rps"), (b.get("http") or {}).get("rps"), "HTTP"
    return (a.get("in_process") or {}).get("rps"), (b.get("in_process") or {}).get("rps"), \
        "in-process"


def side_by_side_rows(first: dict, second: dict) -> list[dict]:
    """Each page on both engines: req/s, p95 and in-process figures, and how many times
    fewer requests the second serves (first req/s / second req/s)."""
    rows = []
    for a, b in zip([first["floor"], *first["pages"]], [second["floor"], *second["pages"]],
                    strict=True):
        rps_a, rps_b, basis = _pair_rps(a, b)
        ratio = round(rps_a / rps_b, 2) if rps_a and rps_b else None
        row = {"name": a["name"], "budgeted": bool(a.get("budgeted")), "basis": basis,
               "ratio": ratio, first["label"]: _cells(a), second["label"]: _cells(b)}
        if a.get("budgeted"):
            row["within"] = ratio is not None and ratio <= ENGINE_RATIO
        rows.append(row)
    return rows


def _cells(row: dict) -> dict:
    http, local = row.get("http") or {}, row.get("in_process") or {}
    return {"rps": http.get("rps"), "p95_ms": http.get("p95_ms"),
            "in_process_rps": local.get("rps"), "in_process_p50_ms": local.get("p50_ms"),
            "in_process_p95_ms": local.get("p95_ms"), "queries": local.get("queries"),
            "note": row.get("note")}


def side_by_side_table(first: dict, second: dict) -> str:
    """The pages on both engines in one fixed-width table, with the ratio and the verdict."""
    a, b = first["label"], second["label"]
    short = {a: "SQLite" if a == "SQLite" else a[:6], b: "PG" if b == "PostgreSQL" else b[:6]}
    head = (f"{'page':<34} {short[a] + ' r/s':>9} {short[b] + ' r/s':>9} {'ratio':>6} "
            f"{short[a] + ' p95':>10} {short[b] + ' p95':>8} "
            f"{'in-proc p50/p95 ' + short[a]:>23} {short[b]:>11} {'SQL':>7}  verdict")
    lines = [head, "-" * len(head)]
    for row in side_by_side_rows(first, second):
        x, y = row[a], row[b]
        if x["note"] or y["note"]:
            lines.append(f"{row['name']:<34} {x['note'] or ''} / {y['note'] or ''}")
            continue
        verdict = ""
        if "within" in row:
            verdict = "within 1.5x" if row["within"] else "NOT within 1.5x"
        lines.append(
            f"{row['name'][:34]:<34} {_fmt(x['rps']):>9} {_fmt(y['rps']):>9} "
            f"{_fmt(row['ratio'], 2) + 'x' if row['ratio'] else '-':>6} "
            f"{_fmt(x['p95_ms']):>10} {_fmt(y['p95_ms']):>8} "
            f"{_fmt(x['in_process_p50_ms']) + ' / ' + _fmt(x['in_process_p95_ms']):>23} "
            f"{_fmt(y['in_process_p50_ms']) + ' / ' + _fmt(y['in_process_p95_ms']):>11} "
            f"{_fmt(x['queries']) + '/' + _fmt(y['queries']):>7}  {verdict}")
    basis = {row["basis"] for row in side_by_side_rows(first, second)}
    lines.append(f"ratio: {a} req/s / {b} req/s ({', '.join(sorted(basis))}); p95 in ms over "
                 "HTTP; SQL: statements per page on each.")
    return "\n".join(lines)


def engine_verdicts(first: dict, second: dict) -> list[dict]:
    """'PostgreSQL within 1.5x of SQLite (req/s)' for each list and search page."""
    lines = []
    for row in side_by_side_rows(first, second):
        if "within" not in row:
            continue
        x, y = row[first["label"]], row[second["label"]]
        key = "rps" if row["basis"] == "HTTP" else "in_process_rps"
        figure = (f"{row['ratio']:.2f}x ({_fmt(y[key])} vs {_fmt(x[key])} req/s, "
                  f"{row['basis']})" if row["ratio"] else
                  x["note"] or y["note"] or f"no request completed ({row['basis']})")
        lines.append({"line": f"{second['label']} within {ENGINE_RATIO}x of {first['label']} "
                              f"(req/s): {row['name']}", "met": row["within"], "figure": figure})
    return lines


def pdf_verdicts(pdfs: dict) -> list[dict]:
    """The PDF lines of the budget (none when the PDFs were not measured)."""
    return _pdf_verdicts(pdfs)


def action_table(engines: list[dict]) -> str:
    """The registrar's actions (POST answered, in-process) and the issue's write transaction,
    and the queue's throughput, one column group per engine."""
    names = ("recommend", "send batch", "issue certificate")
    head = f"{'action (in-process POST)':<34}" + "".join(
        f" {figures['label'] + ' p50 / p95 / max ms':>34}" for figures in engines)
    lines = [head, "-" * len(head)]
    for name in names:
        cells = []
        for figures in engines:
            row = (figures.get("actions") or {}).get(name) or {}
            cells.append(row.get("note") or (f"{row['p50_ms']:.1f} / {row['p95_ms']:.1f} / "
                                             f"{row['max_ms']:.1f}" if row else "-"))
        ticked = next((f.get("actions", {}).get(name, {}).get("ticked") for f in engines), None)
        label = f"{name} ({ticked} ticked)" if ticked else name
        lines.append(f"{label:<34}" + "".join(f" {cell:>34}" for cell in cells))
    cells = []
    for figures in engines:
        write = ((figures.get("actions") or {}).get("issue certificate") or {}).get(
            "write_transaction")
        cells.append(f"{write['p50_ms']:.1f} / {write['p95_ms']:.1f} / {write['max_ms']:.1f}"
                     if write else "-")
    lines.append(f"{'  its write transaction':<34}" + "".join(f" {cell:>34}" for cell in cells))
    for figures in engines:
        queue = figures.get("queue")
        if queue:
            lines.append(f"{figures['label']}: {queue['certificates']} certificates issued back "
                         f"to back (in {queue['issue_seconds']:.1f} s) all stored by `flask "
                         f"worker` ({queue['threads']} threads) {queue['worker_seconds']:.1f} s "
                         f"after the first issue; rendered and sealed serially in one process "
                         f"{queue['serial_seconds']:.1f} s: {queue['ratio']:.2f}x")
        elif figures.get("queue_note"):
            lines.append(f"{figures['label']}: queue throughput not measured: "
                         f"{figures['queue_note']}")
    return "\n".join(lines)
