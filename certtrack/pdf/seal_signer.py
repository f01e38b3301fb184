"""A pyHanko signer that reads its private key once (imported on first use, like pyHanko).

pyHanko's SimpleSigner parses the private key from its DER encoding for every signature it
makes, and cryptography checks an RSA key's consistency each time it parses one: twice per
seal (pyHanko signs once to size the signature, then for real), about 45 ms each for a
2048-bit key, two thirds of a seal's time. This signer parses and checks the key once, on
its first signature, and signs with it from then on. Other key types and mechanisms go
through pyHanko's own code unchanged.
"""

from __future__ import annotations

import functools

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
from pyhanko.sign.signers import SimpleSigner
from pyhanko_certvalidator.util import get_pyca_cryptography_hash


class KeyParsedOnceSigner(SimpleSigner):
    """SimpleSigner, keeping the parsed private key for the signer's lifetime."""

    @classmethod
    def of(cls, signer: SimpleSigner) -> KeyParsedOnceSigner:
        """The same key, certificate, chain and mechanism as `signer`."""
        return cls(signing_cert=signer.signing_cert, signing_key=signer.signing_key,
                   cert_registry=signer.cert_registry,
                   signature_mechanism=signer.signature_mechanism)

    @functools.cached_property
    def _private_key(self):
        return serialization.load_der_private_key(self.signing_key.dump(), password=None)

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        mechanism = self.get_signature_mechanism_for_digest(digest_algorithm)
        try:
            pkcs1v15 = mechanism.signature_algo == "rsassa_pkcs1v15"
        except ValueError:  # a mechanism asn1crypto names only by its OID
            pkcs1v15 = False
        if pkcs1v15 and isinstance(self._private_key, RSAPrivateKey):
            return self._private_key.sign(data, PKCS1v15(),
                                          get_pyca_cryptography_hash(digest_algorithm))
        return super().sign_raw(data, digest_algorithm)
