"""The cluster the journey runs on, built as README "More than one server" describes: a database
of its own on the PostgreSQL at 127.0.0.1:5432, Redis database 5 at 127.0.0.1:6379, an S3 server
(moto) on a free port, and on that, with the same settings for every process: the migrations,
the reference data, a small seed, two gunicorn servers on two free ports and one `flask worker`.

Everything is taken down at the end, whatever happened: the processes (each in a session of
its own, so that gunicorn's workers go with it), the database, Redis database 5 and the S3
server. A failing test's report carries the tail of every process's log.
"""

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from contextlib import ExitStack, suppress
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
import pytest
import redis
import requests

ROOT = Path(__file__).resolve().parents[2]
POSTGRES = os.environ.get("CLUSTER_POSTGRES", "postgresql://postgres@127.0.0.1:5432")
REDIS_URL = os.environ.get("CLUSTER_REDIS_URL", "redis://127.0.0.1:6379/5")
BUCKET = "certtrack-cluster"
# gunicorn workers per server: two processes each, so that a count shared "across servers" is
# shared across four processes.
SERVER_WORKERS = int(os.environ.get("CLUSTER_SERVER_WORKERS", "2"))
START_TIMEOUT = 60.0
LOG_TAIL = 40


def free_port() -> int:
    """A TCP port of 127.0.0.1 nobody listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Cluster:
    """The running cluster: the two servers' base URLs, the seed, the S3 endpoint and logs."""

    servers: list[str]
    seed: dict
    env: dict
    upload_folders: list[Path]
    s3_endpoint: str
    bucket: str = BUCKET
    logs: dict[str, Path] = field(default_factory=dict)
    processes: list[subprocess.Popen] = field(default_factory=list)
    issued: dict = field(default_factory=dict)
    started_in: float = 0.0
    phases: list[tuple[str, float]] = field(default_factory=list)
    _clock: float = field(default_factory=time.monotonic)

    def lap(self, phase: str) -> None:
        """Note how long `phase` took (printed with the start-up time)."""
        now = time.monotonic()
        self.phases.append((phase, now - self._clock))
        self._clock = now

    def log_tails(self) -> str:
        """The last lines of every process's log."""
        parts = []
        for name, path in self.logs.items():
            lines = path.read_text(errors="replace").splitlines() if path.exists() else []
            parts.append(f"--- {name} ({path}) ---\n" + "\n".join(lines[-LOG_TAIL:]))
        return "\n".join(parts)


def _start(cluster: Cluster, name: str, command: list[str], env: dict) -> subprocess.Popen:
    """Start a process in a session of its own, logging to a file; stop_all ends it."""
    handle = cluster.logs[name].open("wb")
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=handle,
                               stderr=subprocess.STDOUT, start_new_session=True)
    handle.close()  # the child has its own descriptor
    cluster.processes.append(process)
    return process


def stop_all(processes: list[subprocess.Popen], grace: float = 3.0) -> None:
    """SIGTERM to every process's group at once (gunicorn's master and its workers, the
    worker's threads), SIGKILL to those still there after `grace` seconds, and to whatever a
    master left behind."""
    for process in processes:
        with suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
    deadline = time.monotonic() + grace
    for process in processes:
        with suppress(subprocess.TimeoutExpired):
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
    for process in processes:
        with suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def _run(cluster: Cluster, name: str, command: list[str], env: dict) -> str:
    """Run a set-up command to its end; its output is kept in its log. Returns stdout."""
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120, check=False)
    cluster.logs[name].write_text(done.stdout + done.stderr)
    assert done.returncode == 0, f"{name} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def _database(stack: ExitStack) -> str:
    """A database of this run's own, dropped at the end; returns its URL."""
    name = f"cluster_{os.getpid()}"
    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')

    def drop():
        with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    stack.callback(drop)
    return f"{POSTGRES}/{name}"


def _redis(stack: ExitStack) -> None:
    """Redis database 5, emptied before and after (only that database)."""
    client = redis.Redis.from_url(REDIS_URL)
    client.flushdb()
    stack.callback(client.close)
    stack.callback(client.flushdb)


def _wait_until(check, what: str, cluster: Cluster, timeout: float = START_TIMEOUT) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with suppress(requests.RequestException, OSError):
            if check():
                return
        time.sleep(0.2)
    raise AssertionError(f"{what} did not start within {timeout:.0f} s\n{cluster.log_tails()}")


def _s3(cluster: Cluster, env: dict) -> subprocess.Popen:
    """Start moto's S3 server on a free port."""
    port = int(cluster.s3_endpoint.rsplit(":", 1)[1])
    moto = Path(sys.executable).with_name("moto_server")
    return _start(cluster, "s3", [str(moto), "-H", "127.0.0.1", "-p", str(port)], env)


def _bucket(cluster: Cluster, process: subprocess.Popen) -> None:
    """Wait for the S3 server; create the cluster's bucket."""
    import boto3

    _wait_until(lambda: process.poll() is None and requests.get(cluster.s3_endpoint, timeout=2)
                .status_code < 500, "the S3 server", cluster)
    boto3.session.Session().client("s3", endpoint_url=cluster.s3_endpoint,
                                   aws_access_key_id="cluster", aws_secret_access_key="cluster",
                                   region_name="us-east-1").create_bucket(Bucket=BUCKET)


def _environment(database_url: str, s3_endpoint: str, seal_folder: Path, public: str) -> dict:
    """The settings every process of the cluster shares, as the README's production section
    lists them (less the production-only ones: https and a real seal)."""
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("CERTTRACK_", "AWS_", "FLASK_"))}
    env.update({
        "DATABASE_URL": database_url, "REDIS_URL": REDIS_URL,
        "CERTTRACK_SECRET_KEY": secrets.token_urlsafe(48),
        "CERTTRACK_STORAGE_URL": f"s3://{BUCKET}/files",
        "CERTTRACK_S3_ENDPOINT_URL": s3_endpoint,
        "AWS_ACCESS_KEY_ID": "cluster", "AWS_SECRET_ACCESS_KEY": "cluster",
        "AWS_DEFAULT_REGION": "us-east-1",
        "CERTTRACK_SEAL_FOLDER": str(seal_folder), "CERTTRACK_PUBLIC_BASE_URL": public,
        "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1",
    })
    return env


def _servers(cluster: Cluster, ports: list[int], tmp: Path) -> None:
    """Start the two gunicorn servers (gunicorn.conf.py, as in production), each with an
    uploads folder of its own, which must stay empty: files go to the shared storage."""
    for index, port in enumerate(ports):
        folder = tmp / f"uploads-{index}"
        cluster.upload_folders.append(folder)
        env = {**cluster.env, "CERTTRACK_UPLOAD_FOLDER": str(folder)}
        _start(cluster, f"server {'AB'[index]}", [
            sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py",
            "--bind", f"127.0.0.1:{port}", "--workers", str(SERVER_WORKERS)], env)


def _worker(cluster: Cluster, tmp: Path) -> None:
    """Start the one task worker (it queues again, on start, what the database says is due)."""
    folder = tmp / "uploads-worker"
    cluster.upload_folders.append(folder)
    _start(cluster, "worker", [sys.executable, "-m", "flask", "--app", "certtrack", "worker",
                               "--workers", "2"],
           {**cluster.env, "CERTTRACK_UPLOAD_FOLDER": str(folder)})


def _ready(cluster: Cluster) -> None:
    for url in cluster.servers:
        _wait_until(lambda url=url: requests.get(f"{url}/login", timeout=5).status_code == 200,
                    f"the server at {url}", cluster)


def _build(cluster: Cluster, ports: list[int], tmp: Path) -> None:
    """Start everything, overlapping what may overlap: the S3 server and both app servers boot
    while the database is migrated; the worker boots while the seed is made."""
    s3 = _s3(cluster, cluster.env)
    _servers(cluster, ports, tmp)  # they need no table until the first request
    _bucket(cluster, s3)
    cluster.lap("S3 server")
    _run(cluster, "init-db", [sys.executable, "-m", "flask", "--app", "certtrack",
                              "init-db"], cluster.env)
    cluster.lap("migrations and reference data")
    _worker(cluster, tmp)
    output = _run(cluster, "seed", [sys.executable, "tests/cluster/seed.py"], cluster.env)
    cluster.seed = json.loads(output.strip().splitlines()[-1])
    cluster.lap("seed")
    _ready(cluster)
    cluster.lap("two servers and the worker")


@pytest.fixture(scope="module")
def cluster(tmp_path_factory, development_seal):
    """Build the cluster, yield it, take it all down (also when building it failed)."""
    started = time.monotonic()
    tmp = tmp_path_factory.mktemp("cluster")
    ports = [free_port(), free_port()]
    servers = [f"http://127.0.0.1:{port}" for port in ports]
    s3_endpoint = f"http://127.0.0.1:{free_port()}"
    with ExitStack() as stack:
        database_url = _database(stack)
        _redis(stack)
        env = _environment(database_url, s3_endpoint, development_seal, servers[0])
        cluster = Cluster(servers, {}, env, [], s3_endpoint, _clock=started)
        cluster.logs = {name: tmp / f"{name.replace(' ', '-')}.log" for name in
                        ("s3", "init-db", "seed", "server A", "server B", "worker")}
        stack.callback(stop_all, cluster.processes)
        cluster.lap("database and Redis")
        _build(cluster, ports, tmp)
        cluster.started_in = time.monotonic() - started
        print(f"cluster started in {cluster.started_in:.1f} s: " + ", ".join(
            f"{phase} {seconds:.1f} s" for phase, seconds in cluster.phases))
        yield cluster


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """A failing test's report carries the tail of every process's log."""
    report = yield
    running = item.funcargs.get("cluster") if hasattr(item, "funcargs") else None
    if report.failed and isinstance(running, Cluster):
        report.sections.append(("cluster logs", running.log_tails()))
    return report
