"""The import rule, enforced: imports flow one way through the package's rooms.

fundwatch.records (the value types that cross rooms: `Article`, `Detection`) is under the ground
floor: it imports nothing of ours, and every room may import it. storage, detection and
configuration are the ground floor and import nothing else of ours (detection reads its keyword
lists from the data package fundwatch.seeds); alerts sits on
storage and configuration; the crawler may use storage, detection and configuration; the
scheduler may use everything below the CLI; the CLI, the demo and the web app sit on top.
Nothing imports `tests`, and neither the benchmarks nor the test harness do. The harness
(local servers, the real-pages measure) sits under both the tests and the benchmarks: neither
it nor the tests import `bench`, so code the two share lives in the harness.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

# repository folder -> the module prefix it is installed as (pyproject's package-dir)
PACKAGE_DIRS = {
    "fundwatch": "fundwatch",
    "crawler": "fundwatch.crawler",
    "scheduler": "fundwatch.scheduler",
    "storage": "fundwatch.storage",
    "seeds": "fundwatch.seeds",
}
TOP = "top"  # fundwatch.cli, fundwatch.commands.*, fundwatch.demo.*, fundwatch.web.*, ...
ALLOWED = {
    "records": set(),
    "storage": {"storage", "records"},
    "detection": {"detection", "seeds", "records"},
    "configuration": {"configuration", "records"},
    "seeds": set(),
    "alerts": {"alerts", "configuration", "storage", "records"},
    "crawler": {"crawler", "configuration", "storage", "detection", "seeds", "records"},
    "scheduler": {
        "scheduler", "crawler", "alerts", "configuration", "storage", "detection", "seeds",
        "records",
    },
}  # fmt: skip


def module_name(path: Path) -> str:
    relative = path.relative_to(REPO)
    prefix = PACKAGE_DIRS[relative.parts[0]]
    parts = [*prefix.split("."), *relative.parts[1:]]
    parts[-1] = parts[-1].removesuffix(".py")
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def room(module: str) -> str:
    parts = module.split(".")
    if len(parts) > 1 and parts[1] in ALLOWED:
        return parts[1]
    return TOP


def imported_modules(path: Path, module: str) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    is_package = path.name == "__init__.py"
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".")
                base = base[: len(base) - node.level + (1 if is_package else 0)]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            found.append((node.lineno, target))
            # `from fundwatch import detection` imports the sub-package detection
            found += [(node.lineno, f"{target}.{alias.name}") for alias in node.names]
    return found


def package_files() -> list[Path]:
    files = []
    for folder in PACKAGE_DIRS:
        files += sorted((REPO / folder).rglob("*.py"))
    return [f for f in files if "migrations" not in f.parts or f.name != "env.py"]


def is_ours(target: str) -> bool:
    return target == "fundwatch" or target.startswith("fundwatch.")


def test_the_rule_sees_every_room() -> None:
    rooms = {room(module_name(path)) for path in package_files()}
    assert set(ALLOWED) - {"seeds"} <= rooms, "a room moved: update PACKAGE_DIRS"


@pytest.mark.parametrize("path", package_files(), ids=lambda p: str(p.relative_to(REPO)))
def test_imports_flow_one_way(path: Path) -> None:
    module = module_name(path)
    own_room = room(module)
    wrong = []
    for line, target in imported_modules(path, module):
        if target == "tests" or target.startswith("tests."):
            wrong.append(f"line {line}: imports {target}")
        if own_room == TOP or not is_ours(target):
            continue
        if target == "fundwatch":
            continue  # the version string
        target_room = room(target)
        if target_room not in ALLOWED[own_room]:
            wrong.append(f"line {line}: {own_room} imports {target} ({target_room})")
    assert not wrong, f"{path.relative_to(REPO)}:\n" + "\n".join(wrong)


@pytest.mark.parametrize("folder", ["bench", "harness"])
def test_benchmarks_and_harness_do_not_import_tests(folder: str) -> None:
    wrong = []
    for path in sorted((REPO / folder).rglob("*.py")):
        for line, target in imported_modules(path, path.stem):
            if target == "tests" or target.startswith("tests."):
                wrong.append(f"{path.relative_to(REPO)}:{line}: imports {target}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("folder", ["harness", "tests"])
def test_harness_and_tests_do_not_import_benchmarks(folder: str) -> None:
    wrong = []
    for path in sorted((REPO / folder).rglob("*.py")):
        for line, target in imported_modules(path, path.stem):
            if target == "bench" or target.startswith("bench."):
                wrong.append(f"{path.relative_to(REPO)}:{line}: imports {target}")
    assert not wrong, "\n".join(wrong)


def test_no_optional_imports_of_our_own_packages() -> None:
    """`try: import fundwatch.x except ImportError` hides a broken seam: imports of ours are
    unconditional (or under TYPE_CHECKING)."""
    wrong = []
    for path in package_files():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Try):
                continue
            catches_import_error = any(
                isinstance(handler.type, ast.Name)
                and handler.type.id in ("ImportError", "ModuleNotFoundError")
                for handler in node.handlers
            )
            if not catches_import_error:
                continue
            for statement in node.body:
                for inner in ast.walk(statement):
                    if isinstance(inner, ast.ImportFrom) and (
                        inner.level or is_ours(inner.module or "")
                    ):
                        wrong.append(f"{path.relative_to(REPO)}:{inner.lineno}")
                    if isinstance(inner, ast.Import) and any(
                        is_ours(alias.name) for alias in inner.names
                    ):
                        wrong.append(f"{path.relative_to(REPO)}:{inner.lineno}")
    assert not wrong, "optional imports of our own modules: " + ", ".join(wrong)
