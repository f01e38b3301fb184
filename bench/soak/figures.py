"""The run's figures from its samples: statuses per minute and per role, the server errors
inside and outside the outage, latencies, the memory of each process, and the verdicts."""

from collections import Counter, defaultdict
from statistics import quantiles

from bench.soak.client import Sample

RSS_GROWTH_LIMIT = 0.10


def _kind(status: int) -> str:
    if status == 0:
        return "no answer"
    if status == 503:
        return "503"
    if status >= 500:
        return "5xx"
    return f"{status // 100}xx"


def per_minute(samples: list[Sample], t0: float) -> list[dict]:
    minutes: dict[int, Counter] = defaultdict(Counter)
    for sample in samples:
        minutes[int((sample.started - t0) // 60)][_kind(sample.status)] += 1
    return [{"minute": m + 1, **dict(minutes[m])} for m in sorted(minutes)]


def per_role(samples: list[Sample]) -> dict:
    roles: dict[str, Counter] = defaultdict(Counter)
    for sample in samples:
        roles[sample.role]["requests"] += 1
        roles[sample.role][_kind(sample.status)] += 1
    return {role: dict(counts) for role, counts in sorted(roles.items())}


def latency(samples: list[Sample]) -> dict:
    """p50, p95, p99 and the slowest request (ms) of the answered requests."""
    times = sorted((s.ended - s.started) * 1000 for s in samples if s.status)
    if len(times) < 2:
        return {}
    cuts = quantiles(times, n=100)
    return {"p50_ms": round(cuts[49], 1), "p95_ms": round(cuts[94], 1),
            "p99_ms": round(cuts[98], 1), "max_ms": round(times[-1], 1)}


def slowest_pages(samples: list[Sample], count: int = 10) -> list[dict]:
    """The pages with the slowest requests: method, page, requests, median and slowest (ms)."""
    pages: dict[tuple, list[float]] = defaultdict(list)
    for sample in samples:
        if sample.status:
            pages[(sample.method, sample.path)].append((sample.ended - sample.started) * 1000)
    rows = [{"page": f"{method} {path}", "requests": len(times),
             "median_ms": round(sorted(times)[len(times) // 2], 1),
             "max_ms": round(max(times), 1)} for (method, path), times in pages.items()]
    return sorted(rows, key=lambda r: r["max_ms"], reverse=True)[:count]


def outage_split(samples: list[Sample], start: float | None, end: float | None,
                 t0: float) -> dict:
    """Failures (5xx, no answer) of requests that overlapped the outage, and of the others."""
    inside, outside, odd = Counter(), [], []
    recovered = None
    for sample in samples:
        during = start is not None and sample.started <= end and sample.ended >= start
        failed = sample.status == 0 or sample.status >= 500
        described = {"role": sample.role, "method": sample.method, "path": sample.path,
                     "status": sample.status, "at_s": round(sample.started - t0, 1),
                     "error": sample.error}
        if during:
            inside["requests"] += 1
            if failed:
                inside[_kind(sample.status)] += 1
                inside["503 with Retry-After"] += sample.status == 503 and bool(
                    sample.retry_after)
            if failed and not (sample.status == 503 and sample.retry_after):
                odd.append(described)
        elif failed:
            outside.append(described)
        if (start is not None and sample.started > end and not failed
                and (recovered is None or sample.ended < recovered)):
            recovered = sample.ended
    return {"inside": dict(inside), "inside_not_503": odd, "outside": outside,
            "first_success_after_restart_s": round(recovered - end, 2) if recovered else None}


def rss_table(series: dict[str, dict[int, list[tuple[float, int]]]], baseline_at: float
              ) -> list[dict]:
    """Per process: RSS when the load starts, after the warm-up, at the end, and the growth
    since the warm-up; a process that was replaced shows as a row of its own."""
    rows = []
    for name, by_pid in series.items():
        for pid, points in sorted(by_pid.items()):
            after = [kb for t, kb in points if t >= baseline_at]
            row = {"process": name, "pid": pid, "start_mb": round(points[0][1] / 1024, 1),
                   "baseline_mb": round(after[0] / 1024, 1) if after else None,
                   "end_mb": round(points[-1][1] / 1024, 1),
                   "max_mb": round(max(kb for _t, kb in points) / 1024, 1)}
            row["growth"] = round(after[-1] / after[0] - 1, 4) if after else None
            minutes: dict[int, int] = {}
            for t, kb in points:
                minutes[int(t // 60)] = kb  # the last sample of each minute
            row["per_minute_mb"] = [round(kb / 1024) for _m, kb in sorted(minutes.items())]
            rows.append(row)
    return rows


def verdicts(figures: dict) -> list[dict]:
    """The soak's criteria, each with its figure and PASS or FAIL."""
    split, checks = figures["outage"], figures["checks"]
    rss = [r for r in figures["rss"] if r["growth"] is not None]
    replaced = Counter(r["process"] for r in figures["rss"])
    half = [p for key in ("certificates", "applications", "documents", "dossiers")
            for p in checks["consistency"][key]["problems"]]
    lines = [
        ("no server error outside the outage", len(split["outside"]) == 0,
         f"{len(split['outside'])} outside"),
        ("during the outage only 503 (with Retry-After), never a 500",
         split["inside"].get("5xx", 0) == 0
         and split["inside"].get("503", 0) == split["inside"].get("503 with Retry-After", 0),
         ", ".join(f"{k} {v}" for k, v in split["inside"].items()) or "no request during it"),
        ("requests succeed again after the restart",
         split["first_success_after_restart_s"] is not None,
         f"first success {split['first_success_after_restart_s']} s after"),
        ("RSS growth of each process < 10 % after the warm-up",
         bool(rss) and all(r["growth"] < RSS_GROWTH_LIMIT for r in rss),
         "; ".join(f"{r['process']} {r['pid']} {r['growth'] * 100:+.1f} %" for r in rss)),
        ("no process replaced or lost", all(n <= (2 if p == "gunicorn worker" else 1)
                                            for p, n in replaced.items()),
         ", ".join(f"{p} x{n}" for p, n in sorted(replaced.items()))),
        ("the queue drains", checks["drain"]["drained"],
         f"{checks['drain']['seconds']} s, left {checks['drain']['left']}"),
        ("flask verify-audit passes", checks["verify_audit"]["passed"],
         checks["verify_audit"]["output"]),
        ("nothing half-written", not half, "; ".join(half[:5]) or "none"),
        ("the worker survives the restart and finishes every job, none failed for good",
         not checks["consistency"]["failed_jobs"]
         and not checks["consistency"]["dossiers"]["problems"],
         f"{checks['failed_job_attempts']} failed attempts retried; failed for good: "
         + ("; ".join(checks["consistency"]["failed_jobs"][:3]) or "none")),
    ]
    return [{"criterion": c, "passed": bool(ok), "figure": f} for c, ok, f in lines]
