"""The app's processes under the soak: gunicorn (gunicorn.conf.py, 2 workers) and the task
queue's worker, started in sessions of their own, stopped by their ids; their memory (RSS)."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]


def rss_kb(pid: int) -> int | None:
    """The resident set size of a process in kB, None when it is gone."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def children(pid: int) -> list[int]:
    """The ids of a process's children (gunicorn's workers)."""
    found = []
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", encoding="ascii") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(entry.name))
    return sorted(found)


class Process:
    """A child process in a session of its own, its output in a log file."""

    def __init__(self, name: str, command: list[str], env: dict, log: Path) -> None:
        self.name, self.command, self.env, self.log = name, command, env, log
        self.popen: subprocess.Popen | None = None

    def start(self) -> None:
        with open(self.log, "ab") as out:
            self.popen = subprocess.Popen(self.command, env=self.env, cwd=ROOT, stdout=out,
                                          stderr=subprocess.STDOUT, start_new_session=True)

    @property
    def pid(self) -> int:
        return self.popen.pid

    def alive(self) -> bool:
        return self.popen is not None and self.popen.poll() is None

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 30) -> None:
        """Signal it and wait; killed (with its session) if it does not end in time."""
        if not self.alive():
            return
        self.popen.send_signal(sig)
        try:
            self.popen.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.popen.pid, signal.SIGKILL)
            self.popen.wait()


def gunicorn(env: dict, port: int, log: Path, recycle: bool) -> Process:
    """gunicorn as configured by gunicorn.conf.py (2 workers, timeouts), on `port`, without
    the control socket (several gunicorns may run on this machine). Workers are not recycled
    unless asked (`recycle`): a worker replaced after 1,000 requests would hide a leak."""
    command = [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py"),
               "--bind", f"127.0.0.1:{port}", "--no-control-socket"]
    if not recycle:
        command += ["--max-requests", "0"]
    return Process("gunicorn", command, env, log)


def queue_worker(env: dict, log: Path) -> Process:
    return Process("worker", [sys.executable, "-m", "flask", "--app", "certtrack", "worker",
                              "--workers", "2"], env, log)


def wait_until_serving(base: str, server: Process, workers: int = 2,
                       timeout: float = 120) -> None:
    """Until gunicorn's workers have booted and answer /healthz.

    :raise RuntimeError: gunicorn exited, or did not answer in time.
    """
    deadline, answered = time.monotonic() + timeout, 0
    while answered < 2 * workers:
        if not server.alive():
            raise RuntimeError(f"gunicorn exited (status {server.popen.returncode}); "
                               f"see {server.log}")
        if time.monotonic() > deadline:
            raise RuntimeError("gunicorn's workers did not answer in time")
        try:
            ok = requests.get(f"{base}/healthz", timeout=5).status_code == 200
        except requests.RequestException:
            ok = False
        answered = answered + 1 if ok else 0
        if not ok:
            time.sleep(0.3)
