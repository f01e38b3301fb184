"""pip-audit over requirements.lock: fails on a known vulnerability, warns without failing when no
vulnerability database can be reached (docs/security.md item 26).

    python .ci/audit.py [LOCK_FILE]        (PIP_AUDIT names another pip-audit executable)
"""

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

UNREACHABLE = ("ConnectionError", "NameResolutionError", "Max retries exceeded", "timed out",
               "Temporary failure in name resolution", "Network is unreachable")


def run_pip_audit(lock: str) -> tuple[int, str, dict | None]:
    """pip-audit's exit code, its error output and its JSON report (None when it wrote none)."""
    command = os.environ.get("PIP_AUDIT") or str(Path(sys.executable).with_name("pip-audit"))
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "audit.json"
        # --disable-pip: the lock file pins every package with hashes, nothing to resolve.
        done = subprocess.run(  # noqa: S603 - pip-audit of this venv, on the repository's lock
            [command, "-r", lock, "--disable-pip", "--progress-spinner", "off",
             "--format", "json", "--output", str(report)],
            capture_output=True, text=True, check=False)
        text = report.read_text() if report.exists() else ""
    return done.returncode, done.stderr, json.loads(text) if text.strip() else None


def verdict(returncode: int, errors: str, report: dict | None) -> tuple[int, str]:
    """The exit code of the CI step and what it prints."""
    if report is None:
        if any(sign in errors for sign in UNREACHABLE):
            return 0, "pip-audit: WARNING no vulnerability database reachable; not audited."
        return 1, f"pip-audit failed:\n{errors[-3000:]}"
    packages = report.get("dependencies", [])
    vulnerable = [item for item in packages if item.get("vulns")]
    if vulnerable:
        lines = [f"  {item['name']} {item['version']}: "
                 + ", ".join(vuln["id"] for vuln in item["vulns"]) for item in vulnerable]
        return 1, "pip-audit: known vulnerabilities in the locked packages:\n" + "\n".join(lines)
    audited = [item for item in packages if "skip_reason" not in item]
    if packages and not audited:
        return 0, ("pip-audit: WARNING the vulnerability database did not answer for any "
                   f"of the {len(packages)} packages; not audited.")
    if returncode != 0:
        return 1, f"pip-audit failed:\n{errors[-3000:]}"
    return 0, f"pip-audit: {len(audited)} locked packages, no known vulnerability."


def main(argv: list[str]) -> int:
    code, message = verdict(*run_pip_audit(argv[1] if len(argv) > 1 else "requirements.lock"))
    print(message, file=sys.stderr if code else sys.stdout)
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv))
