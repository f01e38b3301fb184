"""gunicorn with two workers on the loopback, signing in over HTTP, and wrk against it."""

import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from bench.dataset.actors import sign_in_code

ROOT = Path(__file__).resolve().parent.parent
WRK_SCRIPT = Path(__file__).resolve().parent / "wrk_report.lua"
WORKERS = 2
# The production command of the README (workers, timeouts). Its --max-requests 1000 is left
# out: under a saturating load each worker restarts every second or two and the restarts, not
# the pages, make the p95 (README, Performance); `python -m bench --max-requests N` puts it back.
# No control socket: the floor's and the app's gunicorn (and any other on the machine) would
# share its default path.
GUNICORN_FLAGS = ("--workers", str(WORKERS), "--timeout", "30", "--graceful-timeout", "30",
                  "--no-control-socket")
WRK_THREADS, WRK_CONNECTIONS = 2, 4
CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
COOKIE_RE = re.compile(r"(session=[^;]+)")


class WrkMissing(RuntimeError):
    """wrk is not installed and could not be installed here."""


def ensure_wrk() -> str:
    """The path of wrk, installed from Debian with apt-get when missing (as root)."""
    found = shutil.which("wrk")
    if found:
        return found
    if shutil.which("apt-get") is None or os.geteuid() != 0:
        raise WrkMissing("wrk is missing: run `sudo apt-get install -y wrk`")
    print("Installing wrk (apt-get install -y wrk)...", file=sys.stderr)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=False, env=env,
                   stdout=subprocess.DEVNULL)
    if shutil.which("wrk") is None:
        subprocess.run(["apt-get", "update", "-qq"], check=False, env=env)
        subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True, env=env,
                       stdout=subprocess.DEVNULL)
    return shutil.which("wrk") or "wrk"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_ready(port: int, process: subprocess.Popen, path: str, timeout: float = 90) -> None:
    """Until both workers have booted and answer `path` (the master accepts before them)."""
    deadline, answered = time.monotonic() + timeout, 0
    while answered < 2 * WORKERS:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with status {process.returncode}")
        if time.monotonic() > deadline:
            raise RuntimeError("gunicorn's workers did not answer in time")
        try:
            status = fetch(f"http://127.0.0.1:{port}", path)[0]
        except OSError:
            status = None
        answered = answered + 1 if status == 200 else 0
        if status != 200:
            time.sleep(0.2)


@contextmanager
def gunicorn(app_spec: str, env: dict[str, str], log: Path, ready_path: str,
             max_requests: int = 0) -> Iterator[str]:
    """Serve `app_spec` with the production flags on a free loopback port; yield its base URL
    once `ready_path` answers. `max_requests` > 0 recycles workers as the README's command."""
    port = _free_port()
    # gunicorn.conf.py in the working directory recycles workers after 1000 requests: the
    # bench says how many itself (0: never).
    command = [sys.executable, "-m", "gunicorn", app_spec, "--bind", f"127.0.0.1:{port}",
               *GUNICORN_FLAGS, "--max-requests", str(max_requests), "--max-requests-jitter",
               str(max_requests // 10)]
    with open(log, "ab") as errors:
        process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
                                   stderr=errors)
        try:
            _wait_ready(port, process, ready_path)
            yield f"http://127.0.0.1:{port}"
        finally:
            stop(process, signal.SIGTERM, timeout=30)


def stop(process: subprocess.Popen, sig: int, timeout: float) -> None:
    """Send `sig` and wait up to `timeout` seconds for the process to exit, then kill it."""
    process.send_signal(sig)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def fetch(base: str, path: str, cookie: str | None = None, method: str = "GET",
          body: str | None = None) -> tuple[int, dict[str, str], str]:
    """One request with http.client: (status, headers, body text)."""
    parts = urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    headers = {"Cookie": cookie} if cookie else {}
    if body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read().decode("utf-8",
                                                                                  "replace")
    finally:
        connection.close()


def http_login(base: str, email: str, password: str) -> str:
    """Sign in through the login form as a browser does; the session's Cookie header value."""
    _status, headers, page = fetch(base, "/login")
    cookie = COOKIE_RE.search(headers.get("Set-Cookie", "")).group(1)
    token = CSRF_RE.search(page).group(1)
    # Staff add their app's code; the code of the next half-minute, as the bench may have
    # signed the same account in through the test client within this one.
    body = urlencode({"email": email, "password": password, "csrf_token": token,
                      "code": sign_in_code(ahead=1)})
    status, headers, _page = fetch(base, "/login", cookie, "POST", body)
    found = COOKIE_RE.search(headers.get("Set-Cookie", ""))
    if status != 302 or found is None:
        raise RuntimeError(f"signing in as {email} failed ({status})")
    return found.group(1)


def run_wrk(wrk: str, url: str, seconds: float, cookie: str | None = None,
            random_client: bool = False) -> dict:
    """Load `url` for `seconds` with wrk; requests/s, p50, p95 (ms) and the failures."""
    command = [wrk, "-t", str(WRK_THREADS), "-c", str(WRK_CONNECTIONS),
               "-d", f"{max(1, round(seconds))}s", "--timeout", "10s", "-s", str(WRK_SCRIPT), url]
    if cookie:
        command[1:1] = ["-H", f"Cookie: {cookie}"]
    env = {**os.environ, "BENCH_RANDOM_CLIENT": "1" if random_client else "0"}
    output = subprocess.run(command, capture_output=True, text=True, check=True, env=env).stdout
    line = next(x for x in output.splitlines() if x.startswith("BENCH "))
    raw = json.loads(line[len("BENCH "):])
    seconds_run = raw["duration_us"] / 1e6
    return {"rps": round(raw["requests"] / seconds_run, 1), "p50_ms": raw["p50_us"] / 1000,
            "p95_ms": raw["p95_us"] / 1000, "p99_ms": raw["p99_us"] / 1000,
            "requests": raw["requests"], "non2xx": raw["non2xx"],
            "socket_errors": raw["socket_errors"]}
