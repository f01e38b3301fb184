"""The demo certificate, its draft preview, the demo dossier and the demo phytosanitary and
veterinary certificates, rendered to files."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from certtrack.demo.certificate import demo_certificate_context, demo_preview_context
from certtrack.demo.consignment import demo_phyto_context, demo_vet_context
from certtrack.demo.dossier import demo_dossier_context
from certtrack.pdf.consignment import render_consignment_certificate
from certtrack.pdf.render import render_certificate, render_dossier


def _unsealed(render, context):
    return render(context)


def write_demo_documents(outdir: Path, issue: Callable = _unsealed) -> list[tuple[Path, int]]:
    """Render the demo certificate, its draft preview and the demo dossier into ``outdir``.

    The documents that are issued for real go through `issue(render, context)`: the command
    passes services.seal.issue_sealed, so that they are sealed as issued ones are; the draft
    is never sealed. Creates the folder when needed and overwrites the five files; returns
    (path, pages) pairs. Raises as render_certificate, render_dossier and `issue` do.
    """
    outdir.mkdir(parents=True, exist_ok=True)
    documents = {
        "certificate.pdf": issue(render_certificate, demo_certificate_context()),
        "certificate-draft.pdf": render_certificate(demo_preview_context(), draft=True),
        "dossier.pdf": issue(render_dossier, demo_dossier_context()),
        "phytosanitary-certificate.pdf": issue(render_consignment_certificate,
                                               demo_phyto_context()),
        "veterinary-certificate.pdf": issue(render_consignment_certificate, demo_vet_context()),
    }
    written = []
    for name, rendered in documents.items():
        path = outdir / name
        path.write_bytes(rendered.content)
        written.append((path, rendered.pages))
    return written
