"""The layers hold: each module imports only the layers below it (docs/architecture.md draws
them). Read from the source with ast, function-level imports included."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import reentry_services

PACKAGE = Path(reentry_services.__file__).parent
NAME = "reentry_services"

# Each layer and the layers it may import (besides itself). The core is what every layer
# may use: errors, safe file access, the version, Arrow helpers, timing.
CORE = {"errors", "safefiles", "version", "arrowio", "timing"}
MAY_IMPORT = {
    "core": set(),
    "model": {"core"},
    "standards": {"core"},
    "stages": {"core", "model", "standards"},
    "outputs": {"core", "model", "standards"},
    "checks": {"core", "model", "standards"},
    "release": {"core", "model"},
    "tools": {"core", "model", "standards", "stages"},  # diff, linkcheck
    "api": {"core", "model"},
    "pipeline": {"core", "model", "standards", "stages", "outputs", "checks", "release", "tools"},
    "cli": {"core", "pipeline", "api"},
    "package": {"core", "api"},  # reentry_services/__init__.py
}


def layer(module: str) -> str:
    """The layer of a module, named from the package (model.schema, cli, …)."""
    first = module.split(".")[0]
    if module == "":
        return "package"
    if first in CORE:
        return "core"
    if first in ("diff", "linkcheck"):
        return "tools"
    return first


def modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(PACKAGE).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def imported(module: str, path: Path) -> set[str]:
    """The package's modules that `module` imports (as names under the package)."""
    parts = module.split(".") if module else []
    package = parts if path.name == "__init__.py" else parts[:-1]
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                target = [*base, *(node.module.split(".") if node.module else [])]
            elif node.module and (node.module == NAME or node.module.startswith(NAME + ".")):
                target = node.module.split(".")[1:]
            else:
                continue
            for alias in node.names:
                candidate = ".".join([*target, alias.name])
                names.add(candidate if candidate in modules() else ".".join(target))
        elif isinstance(node, ast.Import):
            names |= {
                a.name.removeprefix(NAME + ".") for a in node.names if a.name.startswith(NAME + ".")
            }
    return {n for n in names if n != module}


@pytest.mark.parametrize("module", sorted(modules()))
def test_each_module_imports_only_the_layers_below_it(module):
    own = layer(module)
    allowed = MAY_IMPORT[own] | {own}
    wrong = sorted(m for m in imported(module, modules()[module]) if layer(m) not in allowed)
    assert not wrong, f"{module} ({own}) imports {wrong}"


def test_the_rules_are_enforced_on_a_broken_module(tmp_path):
    """The check itself: a writer that imports a check is caught."""
    broken = tmp_path / "outputs" / "broken.py"
    broken.parent.mkdir()
    broken.write_text("from ..checks import validate\n", encoding="utf-8")
    assert layer("checks") not in MAY_IMPORT[layer("outputs.broken")] | {"outputs"}
    assert imported("outputs.broken", broken) == {"checks"}


def test_every_module_has_a_layer():
    assert {layer(m) for m in modules()} <= set(MAY_IMPORT)


# --- small functions --------------------------------------------------------------------

MAX_FUNCTION_LINES = 60


def test_no_function_is_longer_than_a_screen():
    long = []
    for module, path in modules().items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                lines = node.end_lineno - node.lineno + 1
                if lines > MAX_FUNCTION_LINES:
                    long.append(f"{module}.{node.name}: {lines} lines")
    assert not long


def test_no_function_is_above_radons_grade_c():
    from radon.complexity import cc_rank, cc_visit

    complex_ = [
        f"{module}.{block.name}: {cc_rank(block.complexity)} ({block.complexity})"
        for module, path in modules().items()
        for block in cc_visit(path.read_text(encoding="utf-8"))
        if cc_rank(block.complexity) not in "ABC"
    ]
    assert not complex_
