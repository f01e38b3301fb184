"""`make soak` (`python -m bench.soak`): certtrack under mixed journeys of every role for
`--minutes`, through gunicorn on a PostgreSQL cluster of its own with the task queue's worker
running, PostgreSQL restarted once in the middle; then the queue drains, the audit verifies and
nothing is half-written. Prints the report, writes bench/soak.json, leaves nothing behind."""

import argparse
import json
import os
import random
import secrets
import shutil
import signal
import string
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import text

from bench import machine
from bench.soak import checks, figures, outage, report, warmup
from bench.soak.client import Recorder
from bench.soak.cluster import PostgresCluster, RedisServer, free_port
from bench.soak.exporter import EXPORTERS, Exporter
from bench.soak.inspector import INSPECTORS, Inspector
from bench.soak.people import Shared
from bench.soak.registrar import REGISTRAR, Registrar
from bench.soak.servers import ROOT, children, gunicorn, queue_worker, rss_kb, wait_until_serving
from bench.soak.visitors import ADMIN, Administrator, Visitor

RESULTS = ROOT / "bench" / "soak.json"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.soak", description=__doc__)
    parser.add_argument("--minutes", type=float, default=10.0,
                        help="minutes of load (default 10); PostgreSQL restarts half-way")
    parser.add_argument("--think", type=float, default=0.3,
                        help="mean seconds each person waits between pages (default 0.3)")
    parser.add_argument("--visitors", type=int, default=2,
                        help="people without an account at the same time (default 2)")
    parser.add_argument("--warm-up", type=float, default=None,
                        help="seconds of load before the memory baseline (default: the first "
                             "quarter of the run, in which each process loads once what it "
                             "keeps: the PDF renderer and the seal, templates, query caches)")
    parser.add_argument("--drain-timeout", type=float, default=300.0,
                        help="seconds the queue may take to drain after the load (default 300)")
    parser.add_argument("--recycle", action="store_true",
                        help="recycle gunicorn workers as gunicorn.conf.py says (max_requests); "
                             "by default they live the whole run, so that a leak shows")
    parser.add_argument("--keep", action="store_true",
                        help="keep the temporary folder (logs, database files) afterwards")
    return parser.parse_args(argv)


def _run(env: dict, *args: str, log: Path) -> float:
    """A `flask` command of the app; its seconds. :raise CalledProcessError: it failed."""
    started = time.monotonic()
    with open(log, "ab") as out:
        subprocess.run([sys.executable, "-m", "flask", "--app", "certtrack", *args], env=env,
                       cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, check=True)
    return round(time.monotonic() - started, 1)


def app_environment(folder: Path, database: str, redis: str, port: int) -> dict:
    """The app's settings for every process: the soak's database, Redis, folders and key;
    nothing taken from the caller's CERTTRACK_* settings; no e-mail sent."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("CERTTRACK_") and k not in ("DATABASE_URL", "REDIS_URL")}
    env.update({"DATABASE_URL": database, "REDIS_URL": redis, "PYTHONPATH": str(ROOT),
                "CERTTRACK_SECRET_KEY": secrets.token_urlsafe(48),
                "CERTTRACK_UPLOAD_FOLDER": str(folder / "uploads"),
                "CERTTRACK_SEAL_FOLDER": str(folder / "seal"),
                "CERTTRACK_PUBLIC_BASE_URL": f"http://127.0.0.1:{port}",
                "CERTTRACK_TRUSTED_PROXIES": "1", "CERTTRACK_MAIL_SERVER": "null"})
    return env


def prepare(folder: Path, env: dict, log: Path) -> dict:
    """Migrations and reference data, the development seal, the demo."""
    return {"init_db_s": _run(env, "init-db", log=log),
            "init_seal_s": _run(env, "init-seal", log=log),
            "seed_demo_s": _run({**env, "CERTTRACK_ALLOW_DEMO": "true"}, "seed-demo", log=log)}


class Sampler(threading.Thread):
    """Every few seconds: the RSS of gunicorn's workers and of the queue's worker; and the
    certificates (number, code) a visitor may have in hand, from the database."""

    def __init__(self, server, worker, engine, shared: Shared, t0: float) -> None:
        super().__init__(daemon=True)
        self.server, self.worker, self.engine, self.shared, self.t0 = (
            server, worker, engine, shared, t0)
        self.series: dict[str, dict[int, list]] = {"gunicorn worker": {}, "queue worker": {}}
        self.halt = threading.Event()

    def sample(self) -> None:
        now = time.monotonic() - self.t0
        pids = [("gunicorn worker", p) for p in children(self.server.pid)]
        pids.append(("queue worker", self.worker.pid))
        for name, pid in pids:
            kb = rss_kb(pid)
            if kb:
                self.series[name].setdefault(pid, []).append((now, kb))

    def held_certificates(self) -> None:
        try:
            with self.engine.connect() as connection:
                rows = connection.execute(text(
                    "SELECT number, verification_code FROM certificate "
                    "WHERE pdf_id IS NOT NULL ORDER BY id DESC LIMIT 60")).all()
        except Exception:  # noqa: BLE001 - the database may be restarting: keep the list
            return
        with self.shared.lock:
            self.shared.certificates[:] = [tuple(r) for r in rows]

    def run(self) -> None:
        ticks = 0
        while not self.halt.is_set():
            self.sample()
            if ticks % 3 == 0:
                self.held_certificates()
            ticks += 1
            self.halt.wait(5)


def people(shared: Shared, args: argparse.Namespace) -> list:
    crowd = [Exporter(shared, email, n, args.think, category, region)
             for n, (email, category, region) in enumerate(EXPORTERS, start=1)]
    crowd += [Inspector(shared, email, 10 + n, args.think) for n, email in enumerate(INSPECTORS)]
    crowd.append(Registrar(shared, REGISTRAR, 20, args.think))
    crowd.append(Administrator(shared, ADMIN, 21, args.think * 3))
    crowd += [Visitor(shared, None, 30 + n, args.think) for n in range(args.visitors)]
    return crowd


def load(shared: Shared, crowd: list, cluster: PostgresCluster, args, t0: float,
         feed: dict) -> dict:
    """Run the people for the run's minutes, restarting PostgreSQL half-way while the worker
    runs a job (`feed`: the Redis URL, the engine and the first batch of the run)."""
    threads = [threading.Thread(target=p.run, daemon=True, name=p.role) for p in crowd]
    for thread in threads:
        thread.start()
    duration = args.minutes * 60
    restart_at = t0 + duration / 2
    time.sleep(max(0.0, restart_at - time.monotonic()))
    fed = outage.queue_dossiers(feed["redis"], feed["engine"], feed["first_batch"])
    taken, waited = outage.wait_until_taken(feed["redis"])
    print(f"[{time.monotonic() - t0:6.1f} s] restarting PostgreSQL ({len(fed)} dossier jobs "
          f"queued; {'one taken' if taken else 'none taken, the worker busy'} after "
          f"{waited} s)", file=sys.stderr, flush=True)
    outage_start = time.monotonic()
    cluster.restart()
    outage_end = time.monotonic()
    print(f"[{outage_end - t0:6.1f} s] PostgreSQL accepts connections again "
          f"({outage_end - outage_start:.1f} s)", file=sys.stderr, flush=True)
    time.sleep(max(0.0, t0 + duration - time.monotonic()))
    shared.stop.set()
    for thread in threads:
        thread.join(timeout=60)
    return {"start": outage_start, "end": outage_end, "fed_batches": fed, "job_taken": taken,
            "at_s": round(outage_start - t0, 1), "seconds": round(outage_end - outage_start, 2)}


def _terminate(_signum, _frame):
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, _terminate)
    folder = Path(tempfile.mkdtemp(prefix="certtrack-soak-"))
    cluster, redis, processes = PostgresCluster(folder), RedisServer(folder), []
    log = folder / "setup.log"
    try:
        return soak(args, folder, cluster, redis, processes, log)
    except KeyboardInterrupt:
        print("Interrupted: tearing everything down.", file=sys.stderr)
        return 130
    finally:
        for process in reversed(processes):
            process.stop(signal.SIGINT if process.name == "worker" else signal.SIGTERM)
        redis.stop()
        cluster.stop()
        if args.keep:
            print(f"Kept {folder}", file=sys.stderr)
        else:
            shutil.rmtree(folder, ignore_errors=True)


def _step(label: str) -> None:
    print(f"== {label}", file=sys.stderr, flush=True)


def soak(args, folder: Path, cluster: PostgresCluster, redis: RedisServer, processes: list,
         log: Path) -> int:
    _step(f"PostgreSQL cluster and Redis of the soak's own in {folder}")
    cluster.create()
    redis.start()
    port = free_port()
    env = app_environment(folder, cluster.url, redis.url, port)
    _step("migrations, reference data, seal, demo data")
    setup = prepare(folder, env, log)
    engine = checks.engine_for(cluster.url)
    first = checks.first_ids(engine)
    server = gunicorn(env, port, folder / "gunicorn.log", args.recycle)
    worker = queue_worker(env, folder / "worker.log")
    for process in (server, worker):
        process.start()
        processes.append(process)
    base = f"http://127.0.0.1:{port}"
    wait_until_serving(base, server)
    run = "".join(random.choice(string.ascii_uppercase) for _ in range(5))
    shared = Shared(base, Recorder(), run, first["application"])
    crowd = people(shared, args)
    _step("warm-up: each gunicorn worker renders a draft, checks a seal and issues a "
          "consignment's certificate; the queue's worker renders the two largest dossiers")
    largest = outage.queue_dossiers(redis.url, engine, first["batch"], count=2)
    primed = warmup.prime(shared, next(p for p in crowd if p.role == "registrar"),
                          next(p for p in crowd if p.email == INSPECTORS[0]))
    shared.issued_pdf = primed.pop("pdf")
    setup["warm_up"] = primed
    if not outage.wait_for_dossiers(engine, largest):
        raise RuntimeError("the worker did not render the warm-up dossier in time")
    load_before = machine.load_average()
    t0 = time.monotonic()
    sampler = Sampler(server, worker, engine, shared, t0)
    sampler.start()
    _step(f"load: {len(crowd)} people for {args.minutes:g} min (run {run})")
    restart = load(shared, crowd, cluster, args, t0,
                   {"redis": redis.url, "engine": engine, "first_batch": first["batch"]})
    sampler.sample()
    sampler.halt.set()
    load_after = machine.load_average()
    _step("after the load: drain, verify-audit, half-written work")
    drained = checks.drain(redis.url, engine, args.drain_timeout)
    worker.stop(signal.SIGINT)
    found = {"drain": drained, "verify_audit": checks.verify_audit(env),
             "consistency": checks.consistency(engine, folder / "uploads", first,
                                               restart["fed_batches"]),
             "failed_job_attempts": outage.failed_attempts(folder / "worker.log"),
             "server_errors_logged": outage.server_errors(folder / "gunicorn.log")}
    engine.dispose()
    warm_up = args.warm_up if args.warm_up is not None else args.minutes * 15
    results = _results(args, shared, sampler, restart, found, t0, warm_up, setup,
                       load_before, load_after)
    results["settings"]["people"] = dict(Counter(person.role for person in crowd))
    RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8")
    print(report.text(results))
    print(f"\nWrote {RESULTS.relative_to(ROOT)}.")
    return 0 if all(line["passed"] for line in results["verdicts"]) else 1


def _results(args, shared, sampler, restart, found, t0, warm_up, setup, load_before,
             load_after) -> dict:
    samples = shared.recorder.samples
    results = {
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {**machine.describe(), "load_before": load_before, "load_after": load_after},
        "settings": {**vars(args), "warm_up_s": warm_up},
        "setup_seconds": setup,
        "requests": len(samples),
        "per_role": figures.per_role(samples),
        "per_minute": figures.per_minute(samples, t0),
        "latency": figures.latency(samples),
        "slowest_pages": figures.slowest_pages(samples),
        "steps": {f"{role}: {step}": n for (role, step), n in sorted(shared.steps.items())},
        "unexpected": {f"{role}: {what}": n for (role, what), n in
                       shared.anomalies.most_common()},
        "outage": {"at_s": restart["at_s"], "seconds": restart["seconds"],
                   "dossier_jobs_queued_before": len(restart["fed_batches"]),
                   "worker_took_one_before": restart["job_taken"],
                   **figures.outage_split(samples, restart["start"], restart["end"], t0)},
        "rss": figures.rss_table(sampler.series, warm_up),
        "checks": found,
    }
    results["verdicts"] = figures.verdicts(results)
    return results


if __name__ == "__main__":
    sys.exit(main())
