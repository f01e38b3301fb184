"""Before the clock starts: each gunicorn worker renders a certificate's draft and checks a
seal once, and the queue's worker renders the two largest dossiers at once (queued by the
soak), so that what a process loads on first use (WeasyPrint and its fonts, pyHanko, the memory
of the largest documents) is there before the memory baseline, which is there to show growth,
not first use."""

import re
import threading
import time

from bench.soak.client import Browser, Recorder
from bench.soak.people import Shared
from bench.soak.registrar import REGISTRATION_RE, Registrar

PREVIEW_RE = re.compile(r'href="([^"]*/certificate-preview)"')
PDF_RE = re.compile(r'href="(/certificates/\d+\.pdf)"')


def _twice(work) -> None:
    """`work` in two threads at once: two sync workers each take one of the requests."""
    threads = [threading.Thread(target=work) for _ in range(2)]
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


def prime(shared: Shared, registrar: Registrar) -> bytes:
    """Sign the registrar in, have each gunicorn worker render a draft certificate and check
    the seal of an issued one; the issued PDF (the public's seal checks use it)."""
    registrar.sign_in()
    previews, pdfs = _addresses(registrar)
    pdf = registrar.browser.download(pdfs[0])
    if pdf is None:
        raise RuntimeError(f"{pdfs[0]} is still being prepared")
    quiet = Recorder()  # the warm-up's requests are not the soak's

    def preview():
        browser = Browser(shared.base, "warm-up", quiet, "10.19.0.1")
        browser.session.cookies.update(registrar.browser.session.cookies)
        browser.download(previews[0])

    def seal_check():
        browser = Browser(shared.base, "warm-up", quiet, "10.19.0.2")
        browser.submit(browser.get("/verify/seal"), r"/verify/seal$",
                       files={"file": ("certificate.pdf", pdf, "application/pdf")})

    _twice(preview)
    _twice(seal_check)
    return pdf
