"""The issuing authority's electronic seal: loaded from the settings, applied once at issue to
every certificate and dossier; its CA certificates are what the public seal check trusts
(services/verification.check_uploaded_seal).

Production names a PKCS#12 file (SEAL_PKCS12_PATH) or a PKCS#11 token (SEAL_PKCS11_MODULE);
elsewhere, when neither is set, the development seal that `flask init-seal` writes to
SEAL_FOLDER is used, and every document it seals says so on each page.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable

from flask import current_app

from certtrack.pdf import RenderedPdf
from certtrack.pdf.seal import seal_pdf
from certtrack.pdf.seal_keys import (
    CA_FILE,
    PKCS12_FILE,
    SealKey,
    create_development_seal,
    load_certificates,
    load_pkcs11,
    load_pkcs12,
)

_CACHE = "certtrack.seal"


class SealUnavailable(RuntimeError):
    """No seal can be loaded: nothing is issued unsealed (the job is retried)."""


def development_seal_in_use() -> bool:
    """True when documents are sealed with the development seal (no production seal set)."""
    config = current_app.config
    return not (config["SEAL_PKCS12_PATH"] or config["SEAL_PKCS11_MODULE"])


def init_development_seal() -> bool:
    """Create the development seal in SEAL_FOLDER unless it exists; True when created."""
    return create_development_seal(current_app.config["SEAL_FOLDER"])


def seal_key() -> SealKey:
    """The seal the settings name, loaded once per application.

    :raise SealUnavailable: the file, token or development seal cannot be loaded.
    """
    cached = current_app.extensions.get(_CACHE)
    if cached is None:
        try:
            cached = _load(current_app.config)
        except (OSError, ValueError, ImportError) as error:
            raise SealUnavailable(f"the seal cannot be loaded: {error}") from error
        current_app.extensions[_CACHE] = cached
    return cached


def _load(config) -> SealKey:
    if config["SEAL_PKCS11_MODULE"]:
        roots = load_certificates(config["SEAL_TRUST_ROOTS"]) \
            if config["SEAL_TRUST_ROOTS"] else ()
        return load_pkcs11(config["SEAL_PKCS11_MODULE"], config["SEAL_PKCS11_TOKEN_LABEL"],
                           config["SEAL_PKCS11_KEY_LABEL"], config["SEAL_PKCS11_CERT_LABEL"],
                           config["SEAL_PKCS11_PIN"], roots)
    if config["SEAL_PKCS12_PATH"]:
        return _pkcs12_of_files(config["SEAL_PKCS12_PATH"], config["SEAL_PKCS12_PASSPHRASE"],
                                tuple(config["SEAL_TRUST_ROOTS"] or ()))
    path = os.path.join(config["SEAL_FOLDER"], PKCS12_FILE)
    if not os.path.exists(path):
        raise OSError(f"no development seal in {config['SEAL_FOLDER']}: run "
                      "`flask --app certtrack init-seal` (make run does)")
    return _pkcs12_of_files(path, None, (*(config["SEAL_TRUST_ROOTS"] or ()),
                                         os.path.join(config["SEAL_FOLDER"], CA_FILE)))


def _pkcs12_of_files(path, passphrase, root_paths: tuple) -> SealKey:
    """The seal of a PKCS#12 file with the trust roots of `root_paths`, read once per process
    for the same unchanged files: reading checks the private key, a tenth of a second, which an
    application made again in the same process (the CLI's, the tests') would pay each time."""
    files = (path, *root_paths)
    versions = tuple((stat.st_mtime_ns, stat.st_size) for stat in map(os.stat, files))
    return _read_pkcs12(tuple(map(os.path.abspath, files)), versions,
                        None if passphrase is None else str(passphrase))


@functools.lru_cache(maxsize=8)
def _read_pkcs12(files: tuple, versions: tuple, passphrase: str | None) -> SealKey:
    del versions  # part of the cache's key only: a file changed is read again
    roots = load_certificates(files[1:]) if files[1:] else ()
    return load_pkcs12(files[0], passphrase, roots)


def issue_sealed(render: Callable[..., RenderedPdf], context: dict) -> RenderedPdf:
    """Render a document to be issued with `render` (a certtrack.pdf renderer) and seal it.

    The development seal is also printed across every page. Returns the sealed bytes and the
    SHA-256 of the sealed file, which is what is stored and published.
    :raise SealUnavailable: no seal; PdfRenderError and what rendering raises.
    """
    key = seal_key()
    rendered = render(context, development_seal=key.development)
    return seal_pdf(rendered, key, long_term=current_app.config["SEAL_LONG_TERM"])
