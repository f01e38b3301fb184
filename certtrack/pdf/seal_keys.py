"""The seal's key and certificate: the development seal, a PKCS#12 file or a PKCS#11 token.

The development seal is a self-made CA and an authority certificate issued by it, both named
"DEVELOPMENT SEAL — not valid for export" so that nobody can take a document sealed with it
for an official one. pyHanko and cryptography are imported on first use only.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

DEVELOPMENT_SEAL_NAME = "DEVELOPMENT SEAL — not valid for export"
DEVELOPMENT_CA_NAME = "certtrack DEVELOPMENT CA — not valid for export"
PKCS12_FILE = "seal.p12"
CA_FILE = "development-ca.pem"
_YEARS = 10


@dataclass(frozen=True)
class SealKey:
    """A loaded seal: pyHanko's signer, the signer's name, whether it is the development seal,
    and the CA certificates (asn1crypto) that a check of its seal trusts."""

    signer: object
    name: str
    development: bool
    trust_roots: tuple


def create_development_seal(folder: str | os.PathLike) -> bool:
    """Write a development CA (CA_FILE) and an authority certificate with its key (PKCS12_FILE,
    no passphrase) into `folder`, unless the PKCS#12 file exists. Returns True when written."""
    folder = Path(folder)
    if (folder / PKCS12_FILE).exists():
        return False
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.serialization import pkcs12

    ca_key, ca_cert = _certificate(DEVELOPMENT_CA_NAME, None, None)
    key, cert = _certificate(DEVELOPMENT_SEAL_NAME, ca_key, ca_cert)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / CA_FILE).write_bytes(ca_cert.public_bytes(serialization.Encoding.PEM))
    bundle = pkcs12.serialize_key_and_certificates(
        b"certtrack development seal", key, cert, [ca_cert], serialization.NoEncryption())
    target = folder / PKCS12_FILE
    temporary = target.with_suffix(".tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(bundle)
    os.replace(temporary, target)  # a half-written key is never taken for the seal
    return True


def _certificate(common_name: str, issuer_key, issuer_cert):
    """A new RSA key and its certificate: a CA when there is no issuer, else a seal
    certificate (digital signature and non-repudiation, as eIDAS seals carry)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "KZ"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, "certtrack development"),
                      x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = dt.datetime.now(dt.UTC) - dt.timedelta(days=1)
    is_ca = issuer_cert is None
    builder = (x509.CertificateBuilder().subject_name(name)
               .issuer_name(name if is_ca else issuer_cert.subject)
               .public_key(key.public_key()).serial_number(x509.random_serial_number())
               .not_valid_before(now).not_valid_after(now + dt.timedelta(days=365 * _YEARS))
               .add_extension(x509.BasicConstraints(ca=is_ca, path_length=None), critical=True)
               .add_extension(_key_usage(is_ca), critical=True)
               .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()),
                              critical=False))
    return key, builder.sign(key if is_ca else issuer_key, hashes.SHA256())


def _key_usage(is_ca: bool):
    from cryptography import x509

    return x509.KeyUsage(
        digital_signature=not is_ca, content_commitment=not is_ca, key_encipherment=False,
        data_encipherment=False, key_agreement=False, key_cert_sign=is_ca, crl_sign=is_ca,
        encipher_only=False, decipher_only=False)


def load_pkcs12(path: str | os.PathLike, passphrase: str | None,
                extra_roots: tuple = ()) -> SealKey:
    """The seal in a PKCS#12 file; its self-signed CA certificates and `extra_roots` are the
    trust roots. Raises OSError (no file) and ValueError (wrong passphrase, not PKCS#12)."""
    from pyhanko.sign.signers import SimpleSigner

    from certtrack.pdf.seal_signer import KeyParsedOnceSigner

    secret = None if passphrase is None else str(passphrase).encode()
    loaded = SimpleSigner.load_pkcs12(str(path), passphrase=secret)
    if loaded is None:
        raise ValueError(f"{path}: not a PKCS#12 file, or the wrong passphrase")
    signer = KeyParsedOnceSigner.of(loaded)
    roots = tuple(cert for cert in signer.cert_registry if cert.self_signed == "maybe"
                  or cert.self_signed == "yes") + tuple(extra_roots)
    return SealKey(signer, _common_name(signer.signing_cert), _is_development(signer), roots)


def load_pkcs11(module: str, token_label: str, key_label: str, cert_label: str | None,
                pin: str | None, extra_roots: tuple = ()) -> SealKey:
    """The seal on a PKCS#11 token (a hardware module or a smart card): the key and the
    certificate labelled on the token named `token_label`, opened with `pin`. Needs the
    python-pkcs11 package; raises what opening the token raises."""
    from pyhanko.sign import pkcs11

    session = pkcs11.open_pkcs11_session(module, token_label=token_label,
                                         user_pin=None if pin is None else str(pin))
    signer = pkcs11.PKCS11Signer(session, key_label=key_label,
                                 cert_label=cert_label or key_label)
    return SealKey(signer, _common_name(signer.signing_cert), False, tuple(extra_roots))


def load_certificates(paths) -> tuple:
    """The certificates in the PEM or DER files `paths` (the trust roots a setting names)."""
    from pyhanko.keys import load_certs_from_pemder

    return tuple(load_certs_from_pemder([str(path) for path in paths]))


def _common_name(cert) -> str:
    attributes = cert.subject.native
    return attributes.get("common_name") or attributes.get("organization_name") or \
        cert.subject.human_friendly


def _is_development(signer) -> bool:
    return _common_name(signer.signing_cert) == DEVELOPMENT_SEAL_NAME
