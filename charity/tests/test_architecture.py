"""The house's shape, checked on the source: the foundation imports no app, services and tasks
form no circle, nothing imports in a circle, and no file outgrows one sitting.

Each check is a function returning its violations; the real tree must give none, and a small
package written under tmp_path shows that each check does find what it forbids."""

from pathlib import Path

import pytest

from charity.tests.import_graph import (
    ImportGraph,
    build_graph,
    describe_cycle,
    is_migration,
    is_test_module,
    python_files,
    strongly_connected,
)

ROOT = Path(__file__).resolve().parents[2]
FOUNDATION = "charity"
MAX_LINES = 400


def _is(name: str, *kinds: str) -> bool:
    """True when a part of the dotted name is, or starts with, one of kinds («services_x»)."""
    return any(part.startswith(kind) for part in name.split(".") for kind in kinds)


def is_services(name: str) -> bool:
    return _is(name, "services")


def is_service_side(name: str) -> bool:
    return _is(name, "services", "controls", "certificates", "exports")


def is_tasks(name: str) -> bool:
    return _is(name, "tasks")


def foundation_violations(graph: ImportGraph, foundation: str = FOUNDATION) -> list[str]:
    """Imports of another project package by a non-test module of the foundation."""
    return [
        f"{module} (line {line}) imports {target}"
        for module in sorted(graph.files)
        if module.split(".")[0] == foundation and not is_test_module(module)
        for target, line in sorted(graph.imports(module).items())
        if target.split(".")[0] != foundation
    ]


def cycles(graph: ImportGraph) -> list[str]:
    """Every import circle between project modules (tests left out), one concrete path each."""
    modules = {name for name in graph.files if not is_test_module(name)}
    return [describe_cycle(graph, component) for component in strongly_connected(graph, modules)]


def service_task_cycles(graph: ImportGraph) -> list[str]:
    """The circles that join a services/controls/certificates/exports module to a tasks module."""
    modules = {name for name in graph.files if not is_test_module(name)}
    return [
        describe_cycle(graph, component)
        for component in strongly_connected(graph, modules)
        if any(map(is_service_side, component)) and any(map(is_tasks, component))
    ]


def services_importing_tasks(graph: ImportGraph) -> list[str]:
    """Services enqueue tasks by name (charity.queue.enqueue); they never import them."""
    return [
        f"{module} (line {line}) imports {target}"
        for module in sorted(graph.files)
        if is_services(module) and not is_test_module(module)
        for target, line in sorted(graph.imports(module).items())
        if is_tasks(target)
    ]


def long_files(root: Path, limit: int = MAX_LINES) -> list[str]:
    """Python files over `limit` lines, migrations left out."""
    found = []
    for path in python_files(root):
        relative = path.relative_to(root)
        if is_migration(".".join(relative.parts)):
            continue
        lines = path.read_text(encoding="utf-8").count("\n")
        if lines > limit:
            found.append(f"{relative}: {lines} lines")
    return found


def _report(rule: str, found: list[str]) -> str:
    return "\n  ".join([f"{rule}:", *found])


@pytest.fixture(scope="module")
def project():
    return build_graph(ROOT)


def test_the_foundation_imports_no_app(project):
    assert any(name.startswith(f"{FOUNDATION}.") for name in project.files)
    found = foundation_violations(project)
    assert not found, _report("charity/ must import no app (register from AppConfig.ready())", found)


def test_services_and_tasks_form_no_import_circle(project):
    found = service_task_cycles(project)
    assert not found, _report("services and tasks import each other in a circle", found)


def test_project_modules_form_no_import_circle(project):
    found = cycles(project)
    assert not found, _report("modules import each other in a circle", found)


def test_services_never_import_tasks(project):
    found = services_importing_tasks(project)
    assert not found, _report("services import tasks; enqueue by name: charity.queue.enqueue(...)", found)


def test_no_python_file_is_over_400_lines():
    found = long_files(ROOT)
    assert not found, _report(f"files over {MAX_LINES} lines; split by what the code is about", found)


# The checks themselves, on a package that breaks each rule once.

def _write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


@pytest.fixture
def broken(tmp_path):
    return _write(tmp_path, {
        "charity/__init__.py": "",
        "charity/history.py": "def say():\n    from shop.policy import Status\n    return Status\n",
        "charity/tests/__init__.py": "",
        "charity/tests/test_x.py": "import shop.policy\n",
        "shop/__init__.py": "",
        "shop/policy.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from . import services\n",
        "shop/services.py": "from .certificates import issue\n\ndef sell():\n    from . import tasks\n",
        "shop/certificates.py": "def issue():\n    from shop.tasks import render\n",
        "shop/tasks.py": "from .services import sell\n\ndef render():\n    pass\n",
        "shop/views/__init__.py": "from .page import show\n",
        "shop/views/page.py": "from shop.views import helpers\n",
        "shop/views/helpers.py": "from ..views import page\n",
        "shop/migrations/__init__.py": "",
        "shop/migrations/0001_initial.py": "\n" * 500,
        "shop/reports.py": "\n" * 401,
        "shop/ok.py": "\n" * 400,
    })


def test_checker_finds_the_foundation_importing_an_app_even_inside_a_function(broken):
    assert foundation_violations(build_graph(broken)) == ["charity.history (line 2) imports shop.policy"]


def test_checker_finds_the_circles_and_names_their_lines(broken):
    graph = build_graph(broken)
    assert cycles(graph) == [
        "shop.certificates (line 2) → shop.tasks (line 1) → shop.services (line 1) → shop.certificates",
        "shop.views.helpers (line 1) → shop.views.page (line 1) → shop.views.helpers",
    ]
    assert service_task_cycles(graph) == cycles(graph)[:1]


def test_checker_skips_type_checking_imports(broken):
    assert "shop.services" not in build_graph(broken).imports("shop.policy")


def test_checker_finds_services_importing_tasks(broken):
    assert services_importing_tasks(build_graph(broken)) == ["shop.services (line 4) imports shop.tasks"]


def test_checker_finds_long_files_but_not_migrations(broken):
    assert long_files(broken) == ["shop/reports.py: 401 lines"]


def test_checkers_pass_a_sound_package(tmp_path):
    root = _write(tmp_path, {
        "charity/__init__.py": "", "charity/queue.py": "def enqueue(name):\n    pass\n",
        "shop/__init__.py": "", "shop/tasks.py": "from . import services\n",
        "shop/services.py": "from charity.queue import enqueue\n\ndef sell():\n    enqueue('shop.tasks.render')\n",
    })
    graph = build_graph(root)
    assert graph.imports("shop.tasks") == {"shop.services": 1}
    assert not (foundation_violations(graph) or cycles(graph) or service_task_cycles(graph)
                or services_importing_tasks(graph) or long_files(root))
