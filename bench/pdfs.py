"""PDF renders in a process of their own, as in a worker: certtrack's pipeline against a bare
WeasyPrint render of the very same HTML, a 30-page dossier, and the memory it all takes.

Run as `python -m bench.pdfs [--quick]`; prints one JSON object on stdout.
"""

import argparse
import copy
import json
import statistics
import sys
import time

from certtrack import pdf
from certtrack.demo.certificate import demo_certificate_context
from certtrack.demo.dossier import demo_dossier_context
from certtrack.pdf.render import CERTIFICATE_STYLES, DOSSIER_STYLES

WARM_UP = 2
CERTIFICATE_RENDERS = 20
RSS_RENDERS = 100
DOSSIER_RENDERS = 3
DOSSIER_ENTERPRISES = 9  # the demo's three meat plants, repeated: about 30 pages
LANGUAGES = frozenset({"kk", "ru", "en", "zh"})


def _keep_languages(value, keep: frozenset[str]):
    """`value` with every Names dict reduced to the languages in `keep`."""
    if isinstance(value, dict):
        if value and set(value) <= LANGUAGES:
            return {lang: text for lang, text in value.items() if lang in keep}
        return {key: _keep_languages(item, keep) for key, item in value.items()}
    if isinstance(value, list):
        return [_keep_languages(item, keep) for item in value]
    return value


def contexts() -> dict[str, tuple[str, dict]]:
    """The documents measured: (kind, context) by name."""
    trilingual = demo_certificate_context()
    dossier = demo_dossier_context()
    three = dossier["enterprises"]
    dossier["enterprises"] = [copy.deepcopy(three[n % len(three)])
                              for n in range(DOSSIER_ENTERPRISES)]
    return {
        "certificate": ("certificate", _keep_languages(trilingual, frozenset({"kk", "en"}))),
        "certificate, trilingual": ("certificate", trilingual),
        "dossier": ("dossier", dossier),
    }


def _status_mb(field: str) -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        line = next(x for x in status if x.startswith(field + ":"))
    return round(int(line.split()[1]) / 1024, 1)


def rss_mb() -> float:
    """The resident memory of this process now, in MB."""
    return _status_mb("VmRSS")


def peak_rss_mb() -> float:
    """The most resident memory this process has held, in MB (VmHWM: getrusage's figure would
    include the parent's memory, inherited through fork)."""
    return _status_mb("VmHWM")


def _timed(render, count: int, warm_up: int = WARM_UP) -> tuple[list[float], object]:
    result = None
    for _ in range(warm_up):
        result = render()
    timings = []
    for _ in range(count):
        started = time.perf_counter()
        result = render()
        timings.append(time.perf_counter() - started)
    return timings, result


def _ours(kind: str, context: dict):
    if kind == "certificate":
        return lambda: pdf.render_certificate(context)
    return lambda: pdf.render_dossier(context)


def _bare(kind: str, context: dict):
    """WeasyPrint as its documentation shows it: HTML string, stylesheet files, write_pdf."""
    from weasyprint import HTML

    from certtrack.pdf.engine import STATIC_PDF

    if kind == "certificate":
        html, styles = pdf.certificate_html(context), CERTIFICATE_STYLES
    else:
        html, styles = pdf.dossier_html(context), DOSSIER_STYLES
    sheets = [str(STATIC_PDF / name) for name in styles]
    return lambda: HTML(string=html, base_url=str(STATIC_PDF) + "/").write_pdf(stylesheets=sheets)


def _ours_first(documents: dict, scale: float) -> dict:
    """Our renders alone: the memory after RSS_RENDERS certificates and the peak of all three."""
    results = {}
    for name, (kind, context) in documents.items():
        renders = int(RSS_RENDERS * scale) if name == "certificate" else \
            1 if kind == "dossier" else 5
        _timings, rendered = _timed(_ours(kind, context), renders, 0)
        results[name] = {"pages": rendered.pages, "rss_mb": rss_mb()}
        if name == "certificate":
            results["rss_after_certificates"] = {"renders": renders, "rss_mb": rss_mb()}
    results["peak_rss_mb"] = peak_rss_mb()
    return results


def measure(quick: bool = False) -> dict:
    """Every PDF figure of the bench. Memory first, from our renders alone; then the timings,
    ours and bare WeasyPrint's taking turns so that other work on the machine hits both."""
    from bench.database import bench_app, database_url

    bench_app(database_url())  # a worker holds the application as well
    scale = 0.25 if quick else 1.0
    documents = contexts()
    results = _ours_first(documents, scale)
    for name, (kind, context) in documents.items():
        count = (1 if quick else DOSSIER_RENDERS) if kind == "dossier" else \
            max(3, int(CERTIFICATE_RENDERS * scale))
        ours, bare = _ours(kind, context), _bare(kind, context)
        for _ in range(1 if kind == "dossier" else WARM_UP):
            bare()  # its warm-up (ours is warm)
        mine, theirs = [], []
        for _ in range(count):
            mine += _timed(ours, 1, 0)[0]
            theirs += _timed(bare, 1, 0)[0]
        seconds, bare_seconds = statistics.median(mine), statistics.median(theirs)
        results[name].update({"seconds": round(seconds, 3), "renders": count,
                              "bare_seconds": round(bare_seconds, 3),
                              "ratio": round(seconds / bare_seconds, 2)})
    return results


def main(argv: list[str] | None = None) -> None:
    """Print the PDF figures as JSON."""
    parser = argparse.ArgumentParser(prog="python -m bench.pdfs")
    parser.add_argument("--quick", action="store_true", help="fewer renders (a smoke test)")
    args = parser.parse_args(argv)
    json.dump(measure(args.quick), sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
