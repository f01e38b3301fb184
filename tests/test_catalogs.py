"""The test run compiles the translation catalogs a fresh clone lacks, and only those."""

import gettext
import os
import shutil

from catalogs import TRANSLATIONS, compile_stale_catalogs


def _copy_catalogs(tmp_path):
    for po in TRANSLATIONS.glob("*/LC_MESSAGES/messages.po"):
        target = tmp_path / po.relative_to(TRANSLATIONS)
        target.parent.mkdir(parents=True)
        shutil.copy(po, target)
    return tmp_path


def test_missing_catalogs_are_compiled_and_translate(tmp_path):
    directory = _copy_catalogs(tmp_path)

    written = compile_stale_catalogs(directory)

    assert sorted(mo.parent.parent.name for mo in written) == ["kk", "ru", "zh"]
    russian = gettext.translation("messages", str(directory), languages=["ru"])
    assert russian.gettext("Sign in") == "Войти"
    assert not list(directory.glob("*/LC_MESSAGES/.messages.mo.*"))


def test_only_catalogs_older_than_their_source_are_compiled_again(tmp_path):
    directory = _copy_catalogs(tmp_path)
    compile_stale_catalogs(directory)
    po = directory / "zh" / "LC_MESSAGES" / "messages.po"
    mo = po.with_suffix(".mo")
    os.utime(mo, (po.stat().st_mtime - 60, po.stat().st_mtime - 60))

    assert compile_stale_catalogs(directory) == [mo]
    assert compile_stale_catalogs(directory) == []
