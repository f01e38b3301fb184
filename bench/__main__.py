"""`make bench`: generate (or reuse) the dataset, measure the floor, the pages, the registrar's
actions, the task queue and the PDFs, print the tables and the budget, write
bench/results.json.

With DATABASE_URL naming a PostgreSQL database, the same dataset (sizes and seed) is generated
in it too and every measurement runs on SQLite and on PostgreSQL in the same run, the two
taking turns page by page; one table shows them side by side.
"""

import argparse
import json
import logging
import secrets
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from contextlib import ExitStack
from datetime import UTC, datetime
from multiprocessing import get_context
from pathlib import Path

from bench import actions, floor, machine, report, throughput
from bench.database import DATA, Engine, bench_app, engines, ensure_dataset, environment
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
from certtrack import tasks

QUEUE_CERTIFICATES = 100


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--scale", type=float, default=1.0,
                        help="multiply every dataset size (default 1: 20,000 enterprises, "
                             "100,000 applications, 1,000,000 audit rows, 200,000 lab results)")
    parser.add_argument("--reuse", action="store_true",
                        help="reuse bench/data's dataset when it has the same sizes and seed "
                             "(and enough left to act on)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--duration", type=float, default=10.0,
                        help="seconds of wrk load per page (default 10)")
    parser.add_argument("--in-process-seconds", type=float, default=3.0,
                        help="seconds of test-client requests per page (default 3)")
    parser.add_argument("--max-requests", type=int, default=0,
                        help="recycle gunicorn workers after N requests, as the README's "
                             "production command does with 1000 (default: never)")
    parser.add_argument("--actions", type=int, default=30,
                        help="timed POSTs of each registrar action (default 30)")
    parser.add_argument("--queue-certificates", type=int, default=QUEUE_CERTIFICATES,
                        help="certificates issued back to back for the queue's throughput "
                             f"(default {QUEUE_CERTIFICATES}, the budget's)")
    parser.add_argument("--skip-http", action="store_true", help="no gunicorn and wrk")
    parser.add_argument("--skip-actions", action="store_true",
                        help="no registrar actions and no queue throughput")
    parser.add_argument("--skip-queue", action="store_true", help="no queue throughput")
    parser.add_argument("--skip-pdf", action="store_true", help="no PDF renders")
    parser.add_argument("--quick-pdf", action="store_true", help="a quarter of the renders")
    return parser.parse_args(argv)


def _log(engine: Engine, what: str) -> Path:
    return DATA / f"{what}-{engine.key}.log"


class Run:
    """One engine's application, signed-in test clients and figures."""

    def __init__(self, engine: Engine, secret: str) -> None:
        self.engine = engine
        self.app = bench_app(engine.url, secret)
        logging.getLogger(self.app.name).setLevel(logging.CRITICAL)  # shown in its row
        self.env = environment(engine.url, secret)
        self.clients: dict = {}
        self.pages: list[Page] = page_list(self.app)
        self.figures: dict = {"label": engine.label, "http_note": None}

    def client(self, role: str | None):
        """The test client of `role`, signed in once (a TOTP code is accepted once)."""
        if role not in self.clients:
            self.clients[role] = logged_in_client(self.app, role)
        return self.clients[role]


def in_process(runs: list[Run], seconds: float) -> None:
    """The floor and every page through the test client (one process, no HTTP), the engines
    taking turns page by page."""
    for run in runs:
        floor_app = floor.create_app(run.app.config["SQLALCHEMY_DATABASE_URI"])
        path = floor.PATH.format(bin=make_bin(1))
        run.figures["floor"] = {"name": "floor (one indexed query)", "path": path,
                                "in_process": measure_in_process(
                                    floor_app, floor_app.test_client(), path, seconds)}
        run.figures["pages"] = []
    for number in range(len(runs[0].pages)):
        for run in runs:
            page = run.pages[number]
            row = {"name": page.name, "user": page.user, "budgeted": page.budgeted,
                   "path": page_path(run.app, page)}
            run.figures["pages"].append(row)
            if row["path"] is None:
                row["note"] = "not built yet"
                continue
            row["in_process"] = measure_in_process(run.app, run.client(page.user), row["path"],
                                                   seconds, page.random_client)
            if row["in_process"]["status"] != 200:
                row["note"] = f"answers {row['in_process']['status']}"


def http_floor(wrk: str, runs: list[Run], args: argparse.Namespace) -> None:
    """The floor under gunicorn and wrk, on each engine."""
    with ExitStack() as servers:
        bases = [servers.enter_context(gunicorn(
            "bench.floor:create_app()", run.env, _log(run.engine, "gunicorn"),
            run.figures["floor"]["path"], args.max_requests)) for run in runs]
        for run, base in zip(runs, bases, strict=True):
            url = base + run.figures["floor"]["path"]
            run_wrk(wrk, url, 2)  # warm-up: caches, database pages
            run.figures["floor"]["http"] = run_wrk(wrk, url, args.duration)


def http_pages(wrk: str, runs: list[Run], args: argparse.Namespace) -> None:
    """certtrack under gunicorn, one server per engine: sign in once per role over HTTP, then
    wrk every page, the engines taking turns."""
    seconds = args.duration
    with ExitStack() as servers:
        sessions = []
        for run in runs:
            env = {**run.env, "CERTTRACK_TRUSTED_PROXIES": "1"}  # wrk's "proxy"
            base = servers.enter_context(gunicorn("certtrack:create_app()", env,
                                                  _log(run.engine, "gunicorn"), "/healthz",
                                                  args.max_requests))
            sessions.append((base, {role: http_login(base, email, PASSWORD)
                                    for role, email in LOGINS.items()}))
        for number in range(len(runs[0].pages)):
            for run, (base, cookies) in zip(runs, sessions, strict=True):
                page, row = run.pages[number], run.figures["pages"][number]
                if row.get("note"):
                    continue
                cookie = cookies.get(page.user) if page.user else None
                status = fetch(base, row["path"], cookie)[0]
                if status != 200:
                    row["note"] = f"answers {status} over HTTP"
                    continue
                run_wrk(wrk, base + row["path"], 2, cookie, page.random_client)  # warm-up
                row["http"] = run_wrk(wrk, base + row["path"], seconds, cookie,
                                      page.random_client)


def run_pdfs(env: dict, quick: bool) -> dict:
    """The PDF figures, from a process of their own."""
    command = [sys.executable, "-m", "bench.pdfs"] + (["--quick"] if quick else [])
    done = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True,
                          check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def _step(label: str) -> float:
    print(f"\n== {label}", file=sys.stderr, flush=True)
    return time.perf_counter()


def registrar_work(runs: list[Run], args: argparse.Namespace, timings: dict) -> None:
    """The registrar's actions, then the queue's throughput, on each engine in turn."""
    tag = datetime.now(UTC).strftime("%Y%m%d%H%M%S")
    for run in runs:
        started = _step(f"registrar's actions on {run.engine.label} (in-process)")
        tasks.init_app(run.app)  # the queue is one per process: this database's file
        run.figures["actions"] = actions.measure_actions(run.app, run.client("registrar"),
                                                         args.actions, tag)
        timings[f"actions_{run.engine.key}"] = round(time.perf_counter() - started, 1)
        if args.skip_queue:
            continue
        started = _step(f"queue throughput on {run.engine.label} "
                        f"({args.queue_certificates} certificates, flask worker)")
        try:
            run.figures["queue"] = throughput.measure_queue(
                run.app, run.client("registrar"), run.env, args.queue_certificates,
                _log(run.engine, "worker"))
        except (throughput.QueueStuck, RuntimeError) as error:
            run.figures["queue"], run.figures["queue_note"] = None, str(error)
        timings[f"queue_{run.engine.key}"] = round(time.perf_counter() - started, 1)


def measure(args: argparse.Namespace, targets: list[Engine], timings: dict) -> tuple[list[Run],
                                                                                       dict]:
    """Every measurement of the run; `timings` receives the seconds of each phase."""
    secret = secrets.token_urlsafe(32)
    runs = [Run(engine, secret) for engine in targets]
    started = _step("in-process (test client)")
    in_process(runs, args.in_process_seconds)
    timings["in_process"] = round(time.perf_counter() - started, 1)
    if not args.skip_http:
        started = _step("HTTP (gunicorn, 2 workers, wrk)")
        try:
            wrk = ensure_wrk()
            http_floor(wrk, runs, args)
            http_pages(wrk, runs, args)
        except WrkMissing as error:
            for run in runs:
                run.figures["http_note"] = str(error)
        timings["http"] = round(time.perf_counter() - started, 1)
    if not args.skip_actions:
        registrar_work(runs, args, timings)
    pdfs = {}
    if not args.skip_pdf:
        started = _step("PDF renders")
        pdfs = run_pdfs(runs[0].env, args.quick_pdf)
        timings["pdf"] = round(time.perf_counter() - started, 1)
    for run in runs:
        _ratios(run.figures["floor"], run.figures["pages"])
    return runs, pdfs


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


def _print_machine(described: dict, datasets: dict[str, dict]) -> None:
    print(f"Machine: {described['cpu']}, {described['cores']} cores, "
          f"{described['memory_gb']} GB, {described['os']}; Python {described['python']}, "
          f"SQLite {described['sqlite']}.")
    for dataset in datasets.values():
        origin = "reused" if dataset["reused"] else f"generated in {dataset['seconds']} s"
        print(f"Database {dataset['url']} ({origin}).")


def _budget(runs: list[Run], pdfs: dict) -> list[dict]:
    labelled = len(runs) > 1
    lines = []
    for run in runs:
        figures, label = run.figures, run.engine.label
        for line in report.verdicts(figures["floor"], figures["pages"], {}):
            lines.append({**line, "line": f"{label}: {line['line']}"} if labelled else line)
        if "actions" in figures:
            lines += actions.verdicts(label, figures["actions"])
        if "queue" in figures:
            lines.append(throughput.verdict(label, figures["queue"], figures.get("queue_note")))
    if labelled:
        lines += report.engine_verdicts(runs[0].figures, runs[1].figures)
    return lines + report.pdf_verdicts(pdfs)


def main(argv: list[str] | None = None) -> None:
    """Run the whole bench and report."""
    args = parse_args(argv)
    begun, timings = time.perf_counter(), {}
    targets, sizes = engines(), Sizes().scaled(args.scale)
    certificates = 0 if args.skip_actions or args.skip_queue else args.queue_certificates
    short_of = None if args.skip_actions else actions.short_of_for(args.actions, certificates)
    datasets = {}
    for engine in targets:
        started = _step(f"dataset on {engine.label} {sizes.as_dict()}")
        # Written by a process of its own: the writer's large heap would otherwise stay in the
        # process that then measures the pages in-process, slowing them by a third.
        with ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn")) as writer:
            datasets[engine.key] = writer.submit(ensure_dataset, engine.url, sizes, args.seed,
                                                 args.reuse, short_of).result()
        timings[f"dataset_{engine.key}"] = round(time.perf_counter() - started, 1)
    load_before = machine.load_average()
    runs, pdfs = measure(args, targets, timings)
    timings["total"] = round(time.perf_counter() - begun, 1)
    lines = _budget(runs, pdfs)
    first = runs[0].figures
    results = {"generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
               "machine": {**machine.describe(), "load_before": load_before,
                           "load_after": machine.load_average()},
               "database": datasets[targets[0].key], "databases": datasets,
               "settings": vars(args), "server": _server(args), "seconds": timings,
               "floor": first["floor"], "pages": first["pages"],
               "engines": {run.engine.key: run.figures for run in runs},
               "pdfs": pdfs, "budget": lines}
    if len(runs) > 1:
        results["side_by_side"] = report.side_by_side_rows(runs[0].figures, runs[1].figures)
    report.write_results(results)
    _print_machine(results["machine"], datasets)
    if len(runs) > 1:
        print(report.side_by_side_table(runs[0].figures, runs[1].figures))
    else:
        print(report.page_table(first["floor"], first["pages"]))
    for run in runs:
        if run.figures["http_note"]:
            print(f"HTTP not measured: {run.figures['http_note']}")
            break
    if any("actions" in run.figures for run in runs):
        print("\n" + report.action_table([run.figures for run in runs]))
    if pdfs:
        print("\n" + report.pdf_table(pdfs))
    print("\nBudget\n" + report.verdict_text(lines))
    print(f"\nWrote {Path(report.RESULTS).relative_to(ROOT)} in {timings['total']:.0f} s "
          f"(load average {load_before} before, {results['machine']['load_after']} after).")


if __name__ == "__main__":
    main()
