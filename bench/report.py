"""The budget, the verdict on each of its lines, the printed table and bench/results.json."""

import json
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results.json"
LIST_SHARE_OF_FLOOR = 0.5
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
            verdicts.append({"line": f"{row['name']}: >= 50 % of the floor, p95 <= 25 ms",
                             "met": False, "figure": row.get("note") or "not measured"})
            continue
        share = http["rps"] / floor_rps
        verdicts.append({
            "line": f"{row['name']}: >= 50 % of the floor's req/s, p95 <= 25 ms",
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
