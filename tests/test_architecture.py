"""The direction of dependencies and the house rules of docs/architecture.md, read from
the source with `ast`: each rule names every module that breaks it."""

import ast
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "certtrack"
MAX_LINES = 400
REQUEST_STATE = {"request", "session", "g", "flash"}


@dataclass(frozen=True)
class Import:
    module: str  # the module imported from, absolute
    name: str | None  # the name imported with `from module import name`, else None
    line: int


@dataclass(frozen=True)
class Module:
    name: str  # dotted, e.g. certtrack.web.auth
    path: Path
    source: str
    tree: ast.Module

    def imports(self) -> list[Import]:
        found = []
        for node in ast.walk(self.tree):
            if isinstance(node, ast.Import):
                found += [Import(alias.name, None, node.lineno) for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = self._absolute(node)
                found += [Import(base, alias.name, node.lineno) for alias in node.names]
        return found

    def _absolute(self, node: ast.ImportFrom) -> str:
        if not node.level:
            return node.module or ""
        package = self.name.split(".")
        if self.path.name != "__init__.py":
            package = package[:-1]
        package = package[:len(package) - node.level + 1]
        return ".".join(package + ([node.module] if node.module else []))

    def imported_modules(self) -> set[str]:
        """Every module the file imports, including `from package import submodule`."""
        names = set()
        for imp in self.imports():
            names.add(imp.module)
            if imp.name and imp.module.startswith("certtrack"):
                names.add(f"{imp.module}.{imp.name}")
        return names


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@cache
def modules() -> tuple[Module, ...]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        found.append(Module(_module_name(path), path, source, ast.parse(source, str(path))))
    return tuple(found)


def module_named(name: str) -> Module:
    return next(m for m in modules() if m.name == name)


def in_package(package: str) -> list[Module]:
    prefix = f"certtrack.{package}"
    return [m for m in modules() if m.name == prefix or m.name.startswith(prefix + ".")]


def top(module: str) -> str:
    return module.split(".")[0]


def imports_any(module: Module, forbidden: tuple[str, ...]) -> list[str]:
    return sorted(f"{name} (line {line})" for name, line in
                  ((i.module, i.line) for i in module.imports())
                  if any(name == f or name.startswith(f + ".") for f in forbidden))


def offenders(rule) -> dict[str, object]:
    return {m.name: problem for m in modules() if (problem := rule(m))}


def test_the_scan_sees_the_package():
    names = {m.name for m in modules()}
    assert {"certtrack", "certtrack.web.auth", "certtrack.services.accounts",
            "certtrack.domain.workflow", "certtrack.models.user"} <= names
    assert len(names) > 30
    accounts = module_named("certtrack.services.accounts")
    assert "werkzeug.security" in accounts.imported_modules()
    assert "sqlalchemy" in accounts.imported_modules()


def _outside_stdlib_and_domain(module: Module) -> list[str]:
    return sorted(name for name in module.imported_modules()
                  if top(name) not in sys.stdlib_module_names
                  and not (name == "certtrack.domain" or name.startswith("certtrack.domain.")))


def test_domain_imports_only_the_standard_library_and_itself():
    assert _outside_stdlib_and_domain(module_named("certtrack.services.accounts"))
    assert in_package("domain")
    assert {m.name: bad for m in in_package("domain")
            if (bad := _outside_stdlib_and_domain(m))} == {}


@pytest.mark.parametrize("forbidden", [
    "certtrack.extensions", "certtrack.models", "sqlalchemy", "flask_sqlalchemy", "weasyprint",
])
def test_web_never_imports_the_database_or_the_pdf_engine(forbidden):
    assert in_package("web")
    assert imports_any(module_named("certtrack.services.accounts"), ("sqlalchemy",))
    bad = {m.name: found for m in in_package("web") if (found := imports_any(m, (forbidden,)))}
    assert bad == {}


def _uses_db_session(module: Module) -> list[int]:
    return sorted(node.lineno for node in ast.walk(module.tree)
                  if isinstance(node, ast.Attribute) and node.attr == "session"
                  and isinstance(node.value, ast.Name) and node.value.id == "db")


def test_web_never_uses_the_database_session():
    assert _uses_db_session(module_named("certtrack.services.accounts"))
    assert {m.name: lines for m in in_package("web") if (lines := _uses_db_session(m))} == {}


def _request_state_used(module: Module) -> list[str]:
    found = [f"from {i.module} import {i.name}" for i in module.imports()
             if i.module in ("flask", "flask.globals", "flask.helpers") and i.name in REQUEST_STATE]
    found += [f"flask.{node.attr}" for node in ast.walk(module.tree)
              if isinstance(node, ast.Attribute) and node.attr in REQUEST_STATE
              and isinstance(node.value, ast.Name) and node.value.id == "flask"]
    return found


def test_services_never_touch_the_request_session_g_or_flash():
    assert _request_state_used(module_named("certtrack.web.auth"))
    assert in_package("services")
    assert {m.name: used for m in in_package("services")
            if (used := _request_state_used(m))} == {}


def _commits(module: Module) -> list[int]:
    return sorted(node.lineno for node in ast.walk(module.tree)
                  if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                  and node.func.attr == "commit")


def test_models_never_commit():
    assert _commits(module_named("certtrack.services.transaction"))
    assert in_package("models")
    assert {m.name: lines for m in in_package("models") if (lines := _commits(m))} == {}


def test_only_the_pdf_package_imports_weasyprint():
    def weasyprint_outside_pdf(module: Module):
        if module.name.startswith("certtrack.pdf"):
            return []
        return imports_any(module, ("weasyprint",))

    assert offenders(weasyprint_outside_pdf) == {}


def test_no_grab_bag_modules():
    grab_bags = {"utils", "helpers", "util", "helper"}
    bad = [m.name for m in modules() if set(m.name.split(".")) & grab_bags]
    assert bad == []


def test_every_module_has_a_docstring():
    assert offenders(lambda m: ast.get_docstring(m.tree) is None) == {}


def test_modules_stay_under_the_size_limit():
    sizes = {m.name: len(m.source.splitlines()) for m in modules()}
    assert {name: n for name, n in sizes.items() if n > MAX_LINES} == {}


def snippet(source: str, name: str = "certtrack.services.example") -> Module:
    """A module made from source text: the known offender each new detector must catch."""
    path = PACKAGE.joinpath(*name.split(".")[1:]).with_suffix(".py")
    return Module(name, path, source, ast.parse(source))


def _imports_package(module: Module, packages: tuple[str, ...]) -> list[str]:
    """The modules of `packages` imported, by any spelling (`from certtrack import web` too)."""
    return sorted(name for name in module.imported_modules()
                  if any(name == p or name.startswith(p + ".") for p in packages))


@pytest.mark.parametrize("package", ["models", "pdf"])
def test_models_and_pdf_never_import_services_or_web(package):
    forbidden = ("certtrack.services", "certtrack.web")
    assert _imports_package(module_named("certtrack.web.auth"), forbidden)
    assert _imports_package(snippet("from certtrack import web\n", "certtrack.pdf.x"), forbidden)
    assert _imports_package(snippet("from ..services import gacc\n", "certtrack.pdf.x"), forbidden)
    assert in_package(package)
    assert {m.name: bad for m in in_package(package)
            if (bad := _imports_package(m, forbidden))} == {}


@pytest.mark.parametrize("package", ["domain", "models", "services", "pdf", "web"])
def test_production_packages_never_import_the_demo(package):
    assert _imports_package(module_named("certtrack.cli"), ("certtrack.demo",))
    assert in_package(package)
    assert {m.name: bad for m in in_package(package)
            if (bad := _imports_package(m, ("certtrack.demo",)))} == {}


def _session_commits(module: Module) -> list[int]:
    """Lines calling `commit()` on a session: `db.session.commit()`, `session.commit()`."""
    def is_session(node: ast.expr) -> bool:
        return (isinstance(node, ast.Name) and node.id.endswith("session")) or \
            (isinstance(node, ast.Attribute) and node.attr.endswith("session"))

    return sorted(node.lineno for node in ast.walk(module.tree)
                  if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                  and node.func.attr == "commit" and is_session(node.func.value))


def test_only_the_transaction_module_commits():
    assert _session_commits(snippet("def f():\n    db.session.commit()\n"))
    assert _session_commits(snippet("def f(session):\n    session.commit()\n"))
    assert not _session_commits(snippet("def f(repo):\n    repo.commit()\n"))
    assert _session_commits(module_named("certtrack.services.transaction"))
    assert offenders(lambda m: m.name != "certtrack.services.transaction"
                     and _session_commits(m)) == {}


def _builds_urls(module: Module) -> list[str]:
    """`url_for` imported from flask (any of its modules) or called as `flask.url_for`."""
    found = [f"from {i.module} import url_for (line {i.line})" for i in module.imports()
             if top(i.module) == "flask" and i.name == "url_for"]
    found += [f"flask.url_for (line {node.lineno})" for node in ast.walk(module.tree)
              if isinstance(node, ast.Attribute) and node.attr == "url_for"
              and isinstance(node.value, ast.Name) and node.value.id == "flask"]
    return found


def test_services_never_build_urls_or_read_the_request():
    assert _builds_urls(snippet("from flask import url_for\n"))
    assert _builds_urls(snippet("import flask\nlink = flask.url_for('x')\n"))
    assert _request_state_used(snippet("from flask import request\n"))
    assert _request_state_used(snippet("import flask\nip = flask.request.remote_addr\n"))
    assert {m.name: found for m in in_package("services")
            if (found := _builds_urls(m) + _request_state_used(m))} == {}


def _is_role(node: ast.expr) -> bool:
    """`x.role`, a variable `role`, or `x.role.value`."""
    if isinstance(node, ast.Attribute) and node.attr == "value":
        node = node.value
    return (isinstance(node, ast.Attribute) and node.attr == "role") or \
        (isinstance(node, ast.Name) and node.id == "role")


def _is_text(node: ast.expr) -> bool:
    """A str constant, or a tuple, list or set of them."""
    if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
        return bool(node.elts) and all(_is_text(element) for element in node.elts)
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


def _roles_as_strings(module: Module) -> list[int]:
    """Lines comparing a role with text (`user.role == "admin"`, `role in ("a", "b")`)."""
    found = []
    for node in ast.walk(module.tree):
        if isinstance(node, ast.Compare):
            operands = [node.left, *node.comparators]
            if any(_is_role(a) and _is_text(b) or _is_text(a) and _is_role(b)
                   for a, b in zip(operands, operands[1:], strict=False)):
                found.append(node.lineno)
    return sorted(found)


def test_roles_are_compared_as_the_enum_not_as_text():
    assert _roles_as_strings(snippet('ok = user.role == "exporter"\n'))
    assert _roles_as_strings(snippet('ok = actor.role in ("registrar", "admin")\n'))
    assert _roles_as_strings(snippet('ok = "admin" != role\n'))
    assert _roles_as_strings(snippet('ok = user.role.value == "admin"\n'))
    assert not _roles_as_strings(snippet("ok = user.role == Role.exporter\n"))
    assert not _roles_as_strings(snippet('ok = user.name == "exporter"\n'))
    assert offenders(_roles_as_strings) == {}


MAX_FUNCTION_LINES = 40


def function_lengths(module: Module) -> dict[str, int]:
    """Lines of each function, from its `def` to its last line: decorators are left out, and so
    is the docstring, which explains the code rather than adding to it. Nested functions count
    in their parent too, and also on their own."""
    lengths = {}
    for node in ast.walk(module.tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            lines = node.end_lineno - node.lineno + 1
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) \
                    and isinstance(first.value.value, str):
                lines -= first.end_lineno - first.lineno + 1
            lengths[f"{node.name} (line {node.lineno})"] = lines
    return lengths


def _long_functions(module: Module) -> dict[str, int]:
    return {name: n for name, n in function_lengths(module).items() if n > MAX_FUNCTION_LINES}


def test_functions_stay_under_the_length_limit():
    body = "".join(f"    x{i} = {i}\n" for i in range(40))
    assert _long_functions(snippet(f"def long():\n{body}"))  # 41 lines with its def
    documented = f'def short():\n    """One\n    two\n    three."""\n{body[:-11]}'
    assert function_lengths(snippet(documented)) == {"short (line 1)": 40}
    assert not _long_functions(snippet(documented))
    assert offenders(_long_functions) == {}
