"""The locked dependencies (docs/security.md item 26): every requirement pinned with hashes in
requirements.lock, `make install` installing exactly it, and the CI audit that fails on a known
vulnerability but not on an unreachable vulnerability database."""

import configparser
import re
import subprocess
import sys
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
AUDIT = ROOT / ".ci" / "audit.py"


def _locked() -> dict[str, str]:
    text = (ROOT / "requirements.lock").read_text()
    entries = re.findall(r"^([A-Za-z0-9._-]+)==([^\s\\]+) \\\n((?:\s+--hash=sha256:[0-9a-f]{64}"
                         r"(?: \\)?\n)+)", text, flags=re.MULTILINE)
    assert entries
    return {canonicalize_name(name): version for name, version, _hashes in entries}


def _declared() -> set[str]:
    config = configparser.ConfigParser()
    config.read(ROOT / "setup.cfg")
    lines = config["options"]["install_requires"].split("\n")
    for extra in ("test", "postgres"):
        lines += config["options.extras_require"][extra].split("\n")
    return {canonicalize_name(Requirement(line).name) for line in lines if line.strip()}


def test_every_declared_requirement_is_locked_with_hashes():
    locked = _locked()
    assert _declared() - set(locked) == set()
    requirement_lines = [line for line in (ROOT / "requirements.lock").read_text().splitlines()
                         if re.match(r"^[A-Za-z0-9]", line)]
    assert len(requirement_lines) == len(locked)  # no line without a pin and its hashes


def test_make_install_installs_the_lock_file_with_hashes_required():
    makefile = (ROOT / "Makefile").read_text()
    assert "pip install --quiet --require-hashes -r requirements.lock" in makefile
    assert "pip install --quiet --no-deps -e ." in makefile
    assert "make audit" in (ROOT / ".ci" / "run").read_text()


def _fake_pip_audit(tmp_path, report: str | None, stderr: str = "", code: int = 0) -> str:
    script = tmp_path / "pip-audit"
    write = (f"open(args[args.index('--output') + 1], 'w').write({report!r})"
             if report is not None else "pass")
    script.write_text(f"#!{sys.executable}\nimport sys\nargs = sys.argv\n{write}\n"
                      f"sys.stderr.write({stderr!r})\nsys.exit({code})\n")
    script.chmod(0o755)
    return str(script)


VULNERABLE = ('{"dependencies": [{"name": "flask", "version": "0.12", "vulns": '
              '[{"id": "PYSEC-2018-66", "fix_versions": ["0.12.3"]}]}]}')
CLEAN = '{"dependencies": [{"name": "flask", "version": "3.1.0", "vulns": []}]}'
SKIPPED = ('{"dependencies": [{"name": "flask", "skip_reason": '
           '"Dependency not found on PyPI and could not be audited"}]}')


@pytest.mark.parametrize(("report", "stderr", "code", "expected", "said"), [
    (VULNERABLE, "", 1, 1, "PYSEC-2018-66"),
    (CLEAN, "", 0, 0, "no known vulnerability"),
    (SKIPPED, "", 0, 0, "WARNING"),
    (None, "requests.exceptions.ConnectionError: Max retries exceeded", 1, 0, "WARNING"),
    (None, "pip-audit: error: invalid requirements file", 2, 1, "pip-audit failed"),
])
def test_the_ci_audit_fails_on_a_vulnerability_only(tmp_path, report, stderr, code,
                                                    expected, said):
    done = subprocess.run([sys.executable, str(AUDIT), str(ROOT / "requirements.lock")],
                          env={"PIP_AUDIT": _fake_pip_audit(tmp_path, report, stderr, code),
                               "PATH": "/usr/bin:/bin"},
                          capture_output=True, text=True, check=False)
    assert done.returncode == expected
    assert said in done.stdout + done.stderr
