"""What the figures were measured on: processor, memory, load, software versions, the code."""

import os
import platform
import sqlite3
import subprocess
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            for line in info:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _memory_gb() -> float | None:
    try:
        with open("/proc/meminfo", encoding="ascii") as info:
            total = next(x for x in info if x.startswith("MemTotal:"))
        return round(int(total.split()[1]) / 1024 / 1024, 1)
    except (OSError, StopIteration):
        return None


def _package(name: str) -> str | None:
    try:
        return version(name)
    except PackageNotFoundError:
        return None


def _git(*args: str) -> str:
    try:
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True,
                              check=False, timeout=10).stdout.strip()
    except OSError:
        return ""


def load_average() -> list[float]:
    """The 1, 5 and 15 minute load averages (other work on the machine skews the figures)."""
    return [round(x, 2) for x in os.getloadavg()]


def describe() -> dict:
    """The machine and software the figures come from."""
    return {
        "cpu": _cpu_model(), "cores": os.cpu_count(), "memory_gb": _memory_gb(),
        "os": platform.platform(), "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "packages": {name: _package(name) for name in
                     ("flask", "sqlalchemy", "jinja2", "weasyprint", "gunicorn")},
        "commit": _git("rev-parse", "--short", "HEAD"),
        "uncommitted_changes": bool(_git("status", "--porcelain")),
    }
