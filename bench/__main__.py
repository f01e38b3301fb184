"""`make bench`: generate (or reuse) the dataset, measure the floor, the pages and the PDFs,
print the table and the budget, write bench/results.json."""

import argparse
import json
import logging
import secrets
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime
from multiprocessing import get_context
from pathlib import Path

from bench import floor, machine, report
from bench.database import DATA, bench_app, database_url, ensure_dataset, environment
from bench.dataset import Sizes
from bench.dataset.actors import LOGINS, PASSWORD
from bench.dataset.names import make_bin
from bench.pages import Page, logged_in_client, measure_in_process, page_list, page_path
from bench.server import (
    GUNICORN_FLAGS,
    ROOT,
    WRK_CONNECTIONS,
    WRK_THREADS,
    WrkMissing,
    ensure_wrk,
    fetch,
    gunicorn,
    http_login,
    run_wrk,
)

LOG = DATA / "gunicorn.log"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--scale", type=float, default=1.0,
                        help="multiply every dataset size (default 1: 20,000 enterprises, "
                             "100,000 applications, 1,000,000 audit rows, 200,000 lab results)")
    parser.add_argument("--reuse", action="store_true",
                        help="reuse bench/data's dataset when it has the same sizes and seed")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--duration", type=float, default=10.0,
                        help="seconds of wrk load per page (default 10)")
    parser.add_argument("--in-process-seconds", type=float, default=3.0,
                        help="seconds of test-client requests per page (default 3)")
    parser.add_argument("--max-requests", type=int, default=0,
                        help="recycle gunicorn workers after N requests, as the README's "
                             "production command does with 1000 (default: never)")
    parser.add_argument("--skip-http", action="store_true", help="no gunicorn and wrk")
    parser.add_argument("--skip-pdf", action="store_true", help="no PDF renders")
    parser.add_argument("--quick-pdf", action="store_true", help="a quarter of the renders")
    return parser.parse_args(argv)


def in_process_rows(app, pages: list[Page], seconds: float) -> tuple[dict, list[dict]]:
    """The floor and every page through the test client (one process, no HTTP)."""
    floor_app = floor.create_app(app.config["SQLALCHEMY_DATABASE_URI"])
    floor_path = floor.PATH.format(bin=make_bin(1))
    floor_row = {"name": "floor (one indexed query)", "path": floor_path, "in_process":
                 measure_in_process(floor_app, floor_app.test_client(), floor_path, seconds)}
    rows, clients = [], {}
    for page in pages:
        row = {"name": page.name, "user": page.user, "budgeted": page.budgeted,
               "path": page_path(app, page)}
        if row["path"] is None:
            rows.append({**row, "note": "not built yet"})
            continue
        client = clients.get(page.user) or clients.setdefault(
            page.user, logged_in_client(app, page.user))
        row["in_process"] = measure_in_process(app, client, row["path"], seconds,
                                               page.random_client)
        if row["in_process"]["status"] != 200:
            row["note"] = f"answers {row['in_process']['status']}"
        rows.append(row)
    return floor_row, rows


def http_floor(wrk: str, env: dict, args: argparse.Namespace, floor_row: dict) -> None:
    """The floor under gunicorn and wrk."""
    seconds = args.duration
    with gunicorn("bench.floor:create_app()", env, LOG, floor_row["path"],
                  args.max_requests) as base:
        run_wrk(wrk, base + floor_row["path"], 2)  # warm-up: caches, SQLite pages
        floor_row["http"] = run_wrk(wrk, base + floor_row["path"], seconds)


def http_pages(wrk: str, env: dict, args: argparse.Namespace, pages: list[Page],
               rows: list[dict]) -> None:
    """certtrack under gunicorn: sign in once per role over HTTP, then wrk every page."""
    env, seconds = {**env, "CERTTRACK_TRUSTED_PROXIES": "1"}, args.duration  # wrk's "proxy"
    with gunicorn("certtrack:create_app()", env, LOG, "/healthz", args.max_requests) as base:
        cookies = {role: http_login(base, email, PASSWORD) for role, email in LOGINS.items()}
        for page, row in zip(pages, rows, strict=True):
            if row.get("note"):
                continue
            cookie = cookies.get(page.user) if page.user else None
            status = fetch(base, row["path"], cookie)[0]
            if status != 200:
                row["note"] = f"answers {status} over HTTP"
                continue
            run_wrk(wrk, base + row["path"], 2, cookie, page.random_client)  # warm-up
            row["http"] = run_wrk(wrk, base + row["path"], seconds, cookie, page.random_client)


def run_pdfs(env: dict, quick: bool) -> dict:
    """The PDF figures, from a process of their own."""
    command = [sys.executable, "-m", "bench.pdfs"] + (["--quick"] if quick else [])
    done = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True,
                          check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def _step(label: str) -> float:
    print(f"\n== {label}", file=sys.stderr, flush=True)
    return time.perf_counter()


def measure(args: argparse.Namespace, url: str, timings: dict) -> dict:
    """Every measurement of the run; `timings` receives the seconds of each phase."""
    secret = secrets.token_urlsafe(32)
    app = bench_app(url, secret)
    logging.getLogger(app.name).setLevel(logging.CRITICAL)  # a failing page shows in its row
    started = _step("in-process (test client)")
    pages = page_list(app)
    floor_row, rows = in_process_rows(app, pages, args.in_process_seconds)
    timings["in_process"] = round(time.perf_counter() - started, 1)
    env, http_note = environment(url, secret), None
    if not args.skip_http:
        started = _step("HTTP (gunicorn, 2 workers, wrk)")
        try:
            wrk = ensure_wrk()
            http_floor(wrk, env, args, floor_row)
            http_pages(wrk, env, args, pages, rows)
        except WrkMissing as error:
            http_note = str(error)
        timings["http"] = round(time.perf_counter() - started, 1)
    pdfs = {}
    if not args.skip_pdf:
        started = _step("PDF renders")
        pdfs = run_pdfs(env, args.quick_pdf)
        timings["pdf"] = round(time.perf_counter() - started, 1)
    _ratios(floor_row, rows)
    return {"floor": floor_row, "pages": rows, "pdfs": pdfs, "http_note": http_note}


def _ratios(floor_row: dict, rows: list[dict]) -> None:
    floor_rps = (floor_row.get("http") or {}).get("rps")
    for row in rows:
        rps = (row.get("http") or {}).get("rps")
        row["ratio_to_floor"] = round(rps / floor_rps, 3) if rps and floor_rps else None


def _server(args: argparse.Namespace) -> dict:
    recycle = ["--max-requests", str(args.max_requests)] if args.max_requests else []
    return {"gunicorn": [*GUNICORN_FLAGS, *recycle],
            "wrk": {"threads": WRK_THREADS, "connections": WRK_CONNECTIONS,
                    "seconds": args.duration}}


def _print_machine(described: dict, dataset: dict) -> None:
    origin = "reused" if dataset["reused"] else f"generated in {dataset['seconds']} s"
    print(f"Machine: {described['cpu']}, {described['cores']} cores, "
          f"{described['memory_gb']} GB, {described['os']}; Python {described['python']}, "
          f"SQLite {described['sqlite']}. Database {dataset['url']} ({origin}).")


def main(argv: list[str] | None = None) -> None:
    """Run the whole bench and report."""
    args = parse_args(argv)
    begun, timings = time.perf_counter(), {}
    url, sizes = database_url(), Sizes().scaled(args.scale)
    started = _step(f"dataset {sizes.as_dict()}")
    # Written by a process of its own: the writer's large heap would otherwise stay in the
    # process that then measures the pages in-process, slowing them by a third.
    with ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn")) as writer:
        dataset = writer.submit(ensure_dataset, url, sizes, args.seed, args.reuse).result()
    timings["dataset"] = round(time.perf_counter() - started, 1)
    load_before = machine.load_average()
    figures = measure(args, url, timings)
    timings["total"] = round(time.perf_counter() - begun, 1)
    lines = report.verdicts(figures["floor"], figures["pages"], figures["pdfs"])
    results = {"generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
               "machine": {**machine.describe(), "load_before": load_before,
                           "load_after": machine.load_average()},
               "database": dataset, "settings": vars(args), "server": _server(args),
               "seconds": timings, **figures, "budget": lines}
    report.write_results(results)
    _print_machine(results["machine"], dataset)
    print(report.page_table(figures["floor"], figures["pages"]))
    if figures["http_note"]:
        print(f"HTTP not measured: {figures['http_note']}")
    if figures["pdfs"]:
        print("\n" + report.pdf_table(figures["pdfs"]))
    print("\nBudget\n" + report.verdict_text(lines))
    print(f"\nWrote {Path(report.RESULTS).relative_to(ROOT)} in {timings['total']:.0f} s "
          f"(load average {load_before} before, {results['machine']['load_after']} after).")


if __name__ == "__main__":
    main()
