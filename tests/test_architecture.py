"""The shape of the code: no import circle between packages, no function over 100 lines.

The import graph is read from the source with :mod:`ast` (nothing is imported): every ``import`` and
``from ... import`` anywhere in a file counts, at module level or inside a function (lazy imports
included), relative imports resolved. Imports under ``if TYPE_CHECKING:`` are left out: they never
run, they only name types for the checker. Each module is mapped to its package: ``inclusio.<pkg>``
for ``src/inclusio/<pkg>/...`` and for a top-level module ``src/inclusio/<name>.py`` (``inclusio``
itself for ``__init__.py``), ``workers`` for ``workers/``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SOURCES = {"inclusio": ROOT / "src" / "inclusio", "workers": ROOT / "workers"}
MAX_FUNCTION_LINES = 100


def _module_name(top: str, base: Path, path: Path) -> str:
    parts = [top, *path.relative_to(base).with_suffix("").parts]
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_package(path: Path) -> bool:
    return path.name == "__init__.py"


def _type_checking_only(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def imported_modules(tree: ast.Module, module: str, package: bool) -> set[str]:
    """Every module ``tree`` imports, anywhere in it, except under ``if TYPE_CHECKING:``."""
    found: set[str] = set()
    here = module.split(".") if package else module.split(".")[:-1]

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _type_checking_only(node):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = here[: len(here) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            found.add(target)
            # ``from inclusio import web`` imports the package inclusio.web
            found.update(f"{target}.{alias.name}" for alias in node.names)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


def package_of(module: str) -> str | None:
    """``inclusio.<pkg>`` or ``workers`` for our modules, ``None`` for anything else."""
    parts = module.split(".")
    if parts[0] == "workers":
        return "workers"
    if parts[0] != "inclusio":
        return None
    return "inclusio" if len(parts) == 1 else f"inclusio.{parts[1]}"


def _our_modules() -> dict[str, Path]:
    modules: dict[str, Path] = {}
    for top, base in SOURCES.items():
        for path in sorted(base.rglob("*.py")):
            modules[_module_name(top, base, path)] = path
    return modules


def package_graph() -> dict[str, dict[str, list[str]]]:
    """package -> imported package -> the modules (``a -> b``) that make the edge."""
    modules = _our_modules()
    graph: dict[str, dict[str, list[str]]] = {}
    for module, path in modules.items():
        source = package_of(module)
        assert source is not None
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for target in imported_modules(tree, module, _is_package(path)):
            dest = package_of(target)
            # ``inclusio`` itself (``from inclusio import __version__``) sits below every package
            if dest is None or dest == source or dest == "inclusio":
                continue
            if target not in modules:
                continue  # a name imported from a module: the module itself is in the set too
            edges = graph.setdefault(source, {}).setdefault(dest, [])
            edges.append(f"{module} -> {target}")
    return graph


def package_cycles(graph: dict[str, dict[str, list[str]]]) -> list[list[str]]:
    """The strongly connected components with more than one package (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []
    nodes = sorted(set(graph) | {d for edges in graph.values() for d in edges})

    def strongconnect(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for succ in sorted(graph.get(node, {})):
            if succ not in index:
                strongconnect(succ)
                low[node] = min(low[node], low[succ])
            elif succ in on_stack:
                low[node] = min(low[node], index[succ])
        if low[node] == index[node]:
            component = []
            while True:
                item = stack.pop()
                on_stack.discard(item)
                component.append(item)
                if item == node:
                    break
            if len(component) > 1:
                components.append(sorted(component))

    for node in nodes:
        if node not in index:
            strongconnect(node)
    return components


def shortest_circle(start: str, members: set[str], graph: dict[str, dict[str, list[str]]]) -> list[str]:
    """The shortest path ``start -> ... -> start`` inside ``members`` (breadth first)."""
    paths = {start: [start]}
    queue = [start]
    while queue:
        node = queue.pop(0)
        for succ in sorted(graph.get(node, {})):
            if succ == start:
                return [*paths[node], start]
            if succ in members and succ not in paths:
                paths[succ] = [*paths[node], succ]
                queue.append(succ)
    return []


def describe_cycle(component: list[str], graph: dict[str, dict[str, list[str]]]) -> str:
    """Each package's shortest circle, then every edge inside the component with up to two imports making it."""
    members = set(component)
    circles = {" -> ".join(shortest_circle(node, members, graph)) for node in component}
    lines = [f"circle among {', '.join(component)}:", *(f"  {c}" for c in sorted(circles))]
    for source in component:
        for dest in component:
            edges = graph.get(source, {}).get(dest, [])
            if edges:
                lines.append(f"    {source} -> {dest}: {'; '.join(edges[:2])}")
    return "\n".join(lines)


def test_the_graph_walker_sees_lazy_relative_and_skips_type_checking_imports() -> None:
    source = (
        "from typing import TYPE_CHECKING\n"
        "from . import sibling\n"
        "from ..web.pages import render\n"
        "if TYPE_CHECKING:\n"
        "    from inclusio.store.db import Database\n"
        "def later():\n"
        "    import inclusio.jobs.submit\n"
        "    if True:\n"
        "        from inclusio.server import create_app\n"
    )
    found = imported_modules(ast.parse(source), "inclusio.api.routes.jobs", package=False)
    assert "inclusio.api.routes.sibling" in found
    assert "inclusio.api.web.pages" in found  # two dots from api/routes/jobs.py: inclusio.api
    assert "inclusio.jobs.submit" in found and "inclusio.server" in found
    assert not any(name.startswith("inclusio.store") for name in found)
    graph = {
        "a": {"b": ["a.x -> b.y"]},
        "b": {"c": ["b.y -> c.z"]},
        "c": {"a": ["c.z -> a.x"]},
        "d": {"a": []},
    }
    assert package_cycles(graph) == [["a", "b", "c"]]
    assert package_cycles({"a": {"b": []}, "b": {}}) == []


def test_no_import_circle_between_packages() -> None:
    graph = package_graph()
    assert "inclusio.pipeline" in graph and "inclusio.converters" in graph["inclusio.pipeline"]
    cycles = package_cycles(graph)
    if cycles:
        pytest.fail(
            "import circles between packages:\n" + "\n".join(describe_cycle(c, graph) for c in cycles)
        )


def long_functions(limit: int = MAX_FUNCTION_LINES) -> list[str]:
    """``path:line name (n lines)`` for every function or method of src/inclusio over ``limit`` lines."""
    offenders = []
    for path in sorted(SOURCES["inclusio"].rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                lines = (node.end_lineno or node.lineno) - node.lineno + 1
                if lines > limit:
                    offenders.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name} ({lines} lines)")
    return offenders


def test_the_length_check_measures_functions() -> None:
    body = "\n".join(f"    x{i} = {i}" for i in range(120))
    tree = ast.parse(f"def big():\n{body}\n")
    node = tree.body[0]
    assert isinstance(node, ast.FunctionDef) and node.end_lineno - node.lineno + 1 == 121


def test_no_function_over_100_lines() -> None:
    offenders = long_functions()
    assert not offenders, f"{len(offenders)} function(s) over {MAX_FUNCTION_LINES} lines:\n" + "\n".join(
        offenders
    )
