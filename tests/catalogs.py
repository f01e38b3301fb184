"""Build the compiled translation catalogs (.mo) that a fresh clone lacks, as `pybabel compile`."""

import os
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

TRANSLATIONS = Path(__file__).resolve().parent.parent / "certtrack" / "translations"


def compile_stale_catalogs(directory: Path = TRANSLATIONS) -> list[Path]:
    """Compile every `<locale>/LC_MESSAGES/messages.po` whose .mo is missing or older than it;
    return the .mo files written. Fuzzy entries are left out, as `pybabel compile` does.

    The .mo files are built, not committed: without them every page and e-mail falls back to
    English. Each file is written beside its target and renamed over it, so test workers that
    compile at the same moment never read a half-written catalog.
    """
    written = []
    for po in sorted(directory.glob("*/LC_MESSAGES/messages.po")):
        mo = po.with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        with po.open("rb") as source:
            catalog = read_po(source, locale=po.parent.parent.name)
        partial = mo.with_name(f".{mo.name}.{os.getpid()}")
        with partial.open("wb") as target:
            write_mo(target, catalog)
        os.replace(partial, mo)
        written.append(mo)
    return written
