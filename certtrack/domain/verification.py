"""Verification codes and the one canonical verification address of an issued certificate.

A code is read off paper and typed by hand, so it uses Crockford's base32 alphabet (no I, L, O
or U; https://www.crockford.com/base32.html): 24 symbols carry 120 random bits, printed in
groups of four. Typed codes are accepted in any case, with or without spaces and hyphens, and
with the look-alikes Crockford folds (O -> 0, I and L -> 1). Codes issued before this alphabet
(URL-safe base64, case-sensitive) keep working: they are compared exactly as stored.
"""

from __future__ import annotations

import hmac
import re
import secrets
from urllib.parse import quote

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_BITS = 120
CODE_LENGTH = CODE_BITS // 5  # 24 symbols
GROUP = 4
_CANONICAL = re.compile(f"[{ALPHABET}]{{{CODE_LENGTH}}}")
_FOLD = str.maketrans({"O": "0", "I": "1", "L": "1"})
_SEPARATORS = re.compile(r"[\s\-]+")
# The public pages that answer a certificate's verification address (certtrack.web.verify and
# certtrack.web.consignment_public serve exactly these paths).
PATHS = {"certificate": "/verify/{number}/{code}",
         "consignment": "/verify/consignment/{number}/{code}"}


def new_verification_code() -> str:
    """A fresh random code: 24 Crockford base32 symbols (120 bits), stored without groups."""
    value = secrets.randbits(CODE_BITS)
    return "".join(ALPHABET[(value >> shift) & 31]
                   for shift in range(CODE_BITS - 5, -1, -5))


def group_code(code: str) -> str:
    """The code as printed: groups of four joined by hyphens (a legacy code as it is)."""
    if not _CANONICAL.fullmatch(code):
        return code
    return "-".join(code[i:i + GROUP] for i in range(0, len(code), GROUP))


def normalise_code(typed: str) -> str:
    """A typed code in stored form: upper case, spaces and hyphens dropped, O/I/L folded."""
    return _SEPARATORS.sub("", typed or "").upper().translate(_FOLD)


def canonical_code(typed: str) -> str:
    """A typed code in its stored form when it reads as a Crockford code, else as typed."""
    normalised = normalise_code(typed)
    return normalised if _CANONICAL.fullmatch(normalised) else (typed or "").strip()


def code_matches(stored: str, typed: str) -> bool:
    """True when `typed` is the stored code, compared in constant time.

    A Crockford code is compared after normalise_code(); a legacy code exactly (surrounding
    spaces dropped), since its alphabet has both cases and the hyphen.
    """
    given = canonical_code(typed) if _CANONICAL.fullmatch(stored) else (typed or "").strip()
    return hmac.compare_digest(stored.encode(), given.encode())


def verification_path(number: str, code: str, kind: str = "certificate") -> str:
    """The canonical path of the public verification page of a certificate (`kind`
    "certificate") or a consignment certificate ("consignment"), with the grouped code."""
    return PATHS[kind].format(number=quote(number, safe=""), code=quote(group_code(code), safe=""))


def verification_url(base_url: str, number: str, code: str, kind: str = "certificate") -> str:
    """The canonical verification address under `base_url`: what the QR code carries, what
    the certificate prints and what its JSON names."""
    return base_url.rstrip("/") + verification_path(number, code, kind)
