"""`flask worker` whose certificate render says it has started, then hangs: the test kills the
process there, as a power cut or the OOM killer would."""

import os
import sys
import time
from pathlib import Path

from flask.cli import main

from certtrack.services import certificate_pdf


def _hanging_render(context, **options):
    Path(os.environ["RENDER_STARTED_MARKER"]).write_text(context["number"])
    time.sleep(600)
    raise SystemExit("the test should have killed this worker")


certificate_pdf.render_certificate = _hanging_render

if __name__ == "__main__":
    sys.argv = ["flask", "--app", "certtrack", "worker", "--workers", "1", "--no-periodic"]
    main()
