"""The project's import graph, read from the source with `ast` (no import is executed).

Every `import` counts, at module level or inside a function, except those under
`if TYPE_CHECKING:` (they never run). Used by test_architecture.py; kept apart so its tests can
run it on a small package written under tmp_path."""

from __future__ import annotations

import ast
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path

SKIPPED_DIRS = {".venv", "node_modules", "var", "__pycache__", ".git"}


@dataclass
class ImportGraph:
    """Modules by dotted name, and for each one the project modules it imports (with the line)."""

    files: dict[str, Path] = field(default_factory=dict)
    edges: dict[str, dict[str, int]] = field(default_factory=dict)

    def imports(self, module: str) -> dict[str, int]:
        return self.edges.get(module, {})


def python_files(root: Path):
    """Yield every .py file under root, outside the skipped directories."""
    for path in sorted(root.rglob("*.py")):
        if not SKIPPED_DIRS.intersection(path.relative_to(root).parts):
            yield path


def is_test_module(name: str) -> bool:
    parts = name.split(".")
    return "tests" in parts or parts[-1].startswith("test_") or parts[-1] == "conftest"


def is_migration(name: str) -> bool:
    return "migrations" in name.split(".")


def _module_name(root: Path, path: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def build_graph(root: Path) -> ImportGraph:
    """Read every module of the packages directly under root (directories with __init__.py)."""
    graph = ImportGraph()
    for package in sorted(p.parent for p in root.glob("*/__init__.py")):
        if package.name in SKIPPED_DIRS:
            continue
        for path in python_files(package):
            graph.files[_module_name(root, path)] = path
    for name, path in graph.files.items():
        is_package = path.name == "__init__.py"
        graph.edges[name] = _ImportVisitor(graph.files, name, is_package).read(path)
    return graph


class _ImportVisitor(ast.NodeVisitor):
    def __init__(self, modules: dict[str, Path], name: str, is_package: bool):
        self.modules = modules
        self.package = name if is_package else name.rpartition(".")[0]
        self.found: dict[str, int] = {}

    def read(self, path: Path) -> dict[str, int]:
        self.visit(ast.parse(path.read_text(encoding="utf-8"), filename=str(path)))
        return self.found

    def visit_If(self, node: ast.If):
        test = node.test
        if (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or \
                (isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"):
            for child in node.orelse:
                self.visit(child)
            return
        self.generic_visit(node)

    def visit_Import(self, node: ast.Import):
        for alias in node.names:
            self._add(self._known(alias.name), node.lineno)

    def visit_ImportFrom(self, node: ast.ImportFrom):
        base = node.module or ""
        if node.level:
            anchor = self.package.split(".")
            anchor = anchor[:len(anchor) - (node.level - 1)]
            base = ".".join([*anchor, base] if base else anchor)
        for alias in node.names:
            submodule = f"{base}.{alias.name}"
            self._add(submodule if submodule in self.modules else self._known(base), node.lineno)

    def _known(self, dotted: str) -> str | None:
        """Return the longest prefix of dotted that is a project module (None for others)."""
        parts = dotted.split(".")
        while parts:
            if ".".join(parts) in self.modules:
                return ".".join(parts)
            parts.pop()
        return None

    def _add(self, target: str | None, line: int):
        if target is not None:
            self.found.setdefault(target, line)


def strongly_connected(graph: ImportGraph, modules: set[str]) -> list[list[str]]:
    """Return the import cycles among modules: each strongly connected set of two or more
    modules (or one that imports itself), sorted (Tarjan's algorithm, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for start in sorted(modules):
        if start in index:
            continue
        work = [(start, iter(sorted(t for t in graph.imports(start) if t in modules)))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, targets = work[-1]
            for target in targets:
                if target not in index:
                    index[target] = low[target] = len(index)
                    stack.append(target)
                    on_stack.add(target)
                    work.append((target, iter(sorted(t for t in graph.imports(target) if t in modules))))
                    break
                if target in on_stack:
                    low[node] = min(low[node], index[target])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1 or node in graph.imports(node):
                        found.append(sorted(component))
    return sorted(found)


def describe_cycle(graph: ImportGraph, component: list[str]) -> str:
    """Return one concrete circle through the component: «a (line 3) → b (line 9) → a»."""
    members = set(component)
    start = component[0]
    came_from: dict[str, str] = {}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for target in sorted(graph.imports(node)):
            if target not in members or target in came_from:
                continue
            came_from[target] = node
            if target == start:
                queue.clear()
                break
            queue.append(target)
    path = [start]
    while len(path) == 1 or path[-1] != start:
        path.append(came_from[path[-1]])
    path.reverse()
    steps = [f"{a} (line {graph.imports(a)[b]})" for a, b in zip(path, path[1:], strict=False)]
    return " → ".join([*steps, start])
