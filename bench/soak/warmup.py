"""Before the clock starts: each gunicorn worker renders a certificate's draft, checks a seal
and issues a consignment's certificate (rendered, its fonts cut, sealed) once, and the queue's
worker renders the two largest dossiers at once (queued by the soak), so that what a process
loads on first use (WeasyPrint and its fonts, fontTools, pyHanko, the memory of the largest
documents) is there before the memory baseline, which is there to show growth, not first use.
The warm-up's requests are not counted with the soak's."""

import re
import threading
import time

from bench.soak.client import Browser, Page, Recorder
from bench.soak.inspector import CONSIGNMENT_RE, Inspector
from bench.soak.people import Shared
from bench.soak.registrar import REGISTRATION_RE, Registrar

PREVIEW_RE = re.compile(r'href="([^"]*/certificate-preview)"')
PDF_RE = re.compile(r'href="(/certificates/\d+\.pdf)"')


def _twice(work) -> None:
    """`work(0)` and `work(1)` in two threads at once: two sync workers each take one of the
    requests."""
    threads = [threading.Thread(target=work, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def _addresses(registrar: Registrar, patience: float = 180) -> tuple[list, list]:
    """A draft's address and an issued PDF's, once the worker has rendered the demo's
    certificates (queued again when it starts).

    :raise RuntimeError: no certificate PDF within `patience` seconds.
    """
    deadline = time.monotonic() + patience
    while time.monotonic() < deadline:
        previews, pdfs = [], []
        for address in REGISTRATION_RE.findall(registrar.get("/registrar/registrations").text):
            page = registrar.get(address)
            previews += PREVIEW_RE.findall(page.text)
            pdfs += PDF_RE.findall(page.text)
            if previews and pdfs:
                return previews, pdfs
        time.sleep(3)
    raise RuntimeError("the worker rendered no certificate of the demo in time")


def _ready_to_issue(inspector: Inspector) -> list[Page]:
    """Two consignments of the inspector's queue (the demo's) inspected, ready to issue."""
    queue = inspector.get("/inspector/consignments/")
    ready = []
    for address in dict.fromkeys(CONSIGNMENT_RE.findall(queue.text)):
        page = inspector.inspect_consignment(inspector.get(address))
        if page.has_form(r"/issue$"):
            ready.append(page)
        if len(ready) == 2:
            break
    return ready


def _clone(shared: Shared, person, recorder: Recorder, address: str) -> Browser:
    browser = Browser(shared.base, "warm-up", recorder, address)
    browser.session.cookies.update(person.browser.session.cookies)
    return browser


def prime(shared: Shared, registrar: Registrar, inspector: Inspector) -> dict:
    """Sign the registrar and the inspector in; have each gunicorn worker render a draft
    certificate, check the seal of an issued one and issue a consignment's certificate. What
    was done, and the issued certificate's PDF (the public's seal checks use it)."""
    quiet = Recorder()  # the warm-up's requests are not the soak's
    for person in (registrar, inspector):
        person.browser.recorder = quiet
    registrar.sign_in()
    inspector.sign_in()
    previews, pdfs = _addresses(registrar)
    pdf = registrar.browser.download(pdfs[0])
    if pdf is None:
        raise RuntimeError(f"{pdfs[0]} is still being prepared")
    ready = _ready_to_issue(inspector)

    def preview(_n: int) -> None:
        _clone(shared, registrar, quiet, "10.19.0.1").download(previews[0])

    def seal_check(_n: int) -> None:
        browser = _clone(shared, registrar, quiet, "10.19.0.2")
        browser.submit(browser.get("/verify/seal"), r"/verify/seal$",
                       files={"file": ("certificate.pdf", pdf, "application/pdf")})

    def issue(n: int) -> None:
        if n < len(ready):
            _clone(shared, inspector, quiet, "10.19.0.3").submit(ready[n], r"/issue$",
                                                                 {"confirm": True})

    for work in (preview, seal_check, issue):
        _twice(work)
    for person in (registrar, inspector):
        person.browser.recorder = shared.recorder
    return {"pdf": pdf, "consignment_certificates_issued": len(ready)}
