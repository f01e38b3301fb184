"""The README's security table names, for each item of docs/security.md, tests that
exist: a renamed or deleted test fails here instead of leaving the table pointing at nothing."""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _rows() -> dict[int, list[str]]:
    readme = (ROOT / "README.md").read_text()
    section = readme.split("### Every rule and the tests that show it", 1)[1]
    section = section.split("\n## ", 1)[0].split("\n### ", 1)[0]
    rows = re.findall(r"^\| (\d+) \|[^\n]*?\| (.+) \|$", section, flags=re.MULTILINE)
    return {int(number): re.findall(r"`(tests/[^`]+)`", tests) for number, tests in rows}


def _items() -> list[int]:
    text = (ROOT / "docs" / "security.md").read_text()
    return [int(number) for number in re.findall(r"^(\d+)\. ", text, flags=re.MULTILINE)]


def _defined(node_id: str) -> bool:
    path, _sep, name = node_id.partition("::")
    file = ROOT / path
    if not file.is_file():
        return False
    tree = ast.parse(file.read_text())
    return any(isinstance(node, ast.FunctionDef) and node.name == name for node in tree.body)


def test_every_item_of_security_md_has_a_row():
    items = _items()
    assert sorted(items) == list(range(1, len(items) + 1))  # numbered without gaps
    assert len(items) >= 27
    assert sorted(_rows()) == sorted(items)


def test_every_test_the_table_names_exists():
    rows = _rows()
    assert all(rows.values())
    missing = [node for nodes in rows.values() for node in nodes if not _defined(node)]
    assert missing == []
