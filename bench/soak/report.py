"""The soak's report as text: the run, the requests per minute and per role, the outage,
memory, the checks after the load and the verdicts."""

KINDS = ("2xx", "3xx", "4xx", "503", "5xx", "no answer")


def _table(head: list[str], rows: list[list]) -> list[str]:
    widths = [max(len(str(x)) for x in column) for column in zip(head, *rows, strict=True)]
    line = lambda cells: "  ".join(str(c).rjust(w) for c, w in zip(cells, widths, strict=True))  # noqa: E731
    return [line(head), line(["-" * w for w in widths]), *(line(r) for r in rows)]


def _run(results: dict) -> list[str]:
    m, s = results["machine"], results["settings"]
    people = ", ".join(f"{role} {n}" for role, n in s["people"].items())
    return [
        f"Soak of {s['minutes']:g} min: {people}; {s['think']} s between pages on average; "
        f"gunicorn 2 workers ({'recycled' if s['recycle'] else 'not recycled'}), "
        "queue worker 2 threads, PostgreSQL and Redis of the soak's own.",
        f"Machine: {m['cpu']}, {m['cores']} cores, {m['memory_gb']} GB, {m['os']}; "
        f"Python {m['python']}; load average {m['load_before']} before, "
        f"{m['load_after']} after. Commit {m['commit']}"
        f"{' with uncommitted changes' if m['uncommitted_changes'] else ''}.",
        f"Set-up: {results['setup_seconds']}.",
    ]


def _requests(results: dict) -> list[str]:
    lat = results["latency"]
    lines = ["", f"Requests: {results['requests']:,}; latency p50 {lat.get('p50_ms')} ms, "
             f"p95 {lat.get('p95_ms')} ms, p99 {lat.get('p99_ms')} ms, "
             f"slowest {lat.get('max_ms')} ms."]
    lines += _table(["slowest pages", "requests", "median ms", "slowest ms"],
                    [[r["page"], r["requests"], r["median_ms"], r["max_ms"]]
                     for r in results["slowest_pages"]])
    lines.append("")
    lines += _table(["minute", *KINDS], [[m["minute"], *(m.get(k, 0) for k in KINDS)]
                                          for m in results["per_minute"]])
    lines.append("")
    lines += _table(["role", "requests", *KINDS],
                    [[role, c["requests"], *(c.get(k, 0) for k in KINDS)]
                     for role, c in results["per_role"].items()])
    return lines


def _outage(results: dict) -> list[str]:
    o = results["outage"]
    inside = ", ".join(f"{k} {v}" for k, v in o["inside"].items()) or "none"
    attempts = results["checks"]["failed_job_attempts"]
    lines = ["", f"PostgreSQL restarted at {o['at_s']} s, accepting connections again "
             f"{o['seconds']} s later. Requests overlapping the restart: {inside}. First "
             f"success {o['first_success_after_restart_s']} s after it.",
             f"Worker: {o['dossier_jobs_queued_before']} dossier jobs queued just before the "
             f"restart ({'one of them' if o['worker_took_one_before'] else 'other jobs'} "
             f"running); job attempts that failed and were retried: {attempts}.",
             f"Server errors outside the restart: {len(o['outside'])}."]
    lines += [f"  during: {e['at_s']} s {e['role']} {e['method']} {e['path']} -> {e['status']} "
              f"{e['error'] or ''}" for e in o["inside_not_503"][:20]]
    lines += [f"  {e['at_s']} s {e['role']} {e['method']} {e['path']} -> {e['status']} "
              f"{e['error'] or ''}" for e in o["outside"][:20]]
    return lines


def _memory(results: dict) -> list[str]:
    rows = [[r["process"], r["pid"], r["start_mb"], r["baseline_mb"], r["end_mb"], r["max_mb"],
             "-" if r["growth"] is None else f"{r['growth'] * 100:+.1f} %"]
            for r in results["rss"]]
    head = ["process", "pid", "start MB", "after warm-up MB", "end MB", "max MB", "growth"]
    trend = [f"  {r['process']} {r['pid']}, MB at the end of each minute: "
             f"{' '.join(str(x) for x in r['per_minute_mb'])}" for r in results["rss"]]
    return ["", f"RSS (warm-up {results['settings']['warm_up_s']:g} s):", *_table(head, rows),
            *trend]


def _work(results: dict) -> list[str]:
    lines = ["", "Work done:"]
    lines += [f"  {step}: {n}" for step, n in results["steps"].items()]
    if results["unexpected"]:
        lines.append("Unexpected pages (4xx, a form missing), counted and passed over:")
        lines += [f"  {n} x {what}" for what, n in list(results["unexpected"].items())[:25]]
    errors = results["checks"]["server_errors_logged"]
    lines.append(f"Errors escaping a request in gunicorn's log: {len(errors)}")
    lines += [f"  {e}" for e in errors[:10]]
    c = results["checks"]["consistency"]
    lines.append(f"Checked: {c['certificates']['certificates']} certificates of every kind, "
                 f"{c['applications']['applications']} applications, "
                 f"{c['documents']['documents']} documents.")
    return lines


def text(results: dict) -> str:
    verdicts = ["", "Verdicts:"] + [
        f"  {'PASS' if v['passed'] else 'FAIL'}  {v['criterion']}: {v['figure']}"
        for v in results["verdicts"]]
    return "\n".join(_run(results) + _requests(results) + _outage(results) + _memory(results)
                     + _work(results) + verdicts)
