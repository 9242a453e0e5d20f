"""The layers of ARCHITECTURE.md, checked on the source: core → places → network → demo.

Every module's imports are read with ``ast``, including those inside functions (a lazy import
is still a dependency), so an arrow pointing the wrong way fails here before it tangles the apps.
"""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CORE = "kohtaamispaikat.core"
DEMO = "kohtaamispaikat.demo"
APPS = ("places", "network", DEMO)
# Which packages each layer must not import: the core no app, an app nothing above it.
FORBIDDEN = {
    CORE: APPS,
    "places": ("network", DEMO),
    "network": (DEMO,),
}
# A model named by its label ("places.Place", "network.meeting") or an app passed to
# apps.get_model / get_app_config ("places", "network").
APP_LABEL = re.compile(r"^(places|network|demo)(\.\w+)?$", re.IGNORECASE)


def module_name(relative_path):
    parts = relative_path.with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def sources(package):
    """(path relative to the project, source text) of every module of ``package``."""
    for path in sorted((ROOT / package.replace(".", "/")).rglob("*.py")):
        yield path.relative_to(ROOT), path.read_text(encoding="utf-8")


def imported_modules(relative_path, source):
    """Every module a source imports, at any depth of the file, relative imports resolved."""
    package = module_name(relative_path).split(".")
    if relative_path.name != "__init__.py":
        package = package[:-1]
    for node in ast.walk(ast.parse(source, filename=str(relative_path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, *filter(None, [node.module])])
            yield node.lineno, module
            for alias in node.names:  # "from network import feeds" imports network.feeds
                yield node.lineno, f"{module}.{alias.name}"


def within(module, package):
    return module == package or module.startswith(f"{package}.")


def wrong_way_imports(layer, modules):
    """ "path:line imports module" for each import by ``modules`` (of ``layer``) that points up."""
    found = set()
    for relative_path, source in modules:
        for line, module in imported_modules(relative_path, source):
            if any(within(module, forbidden) for forbidden in FORBIDDEN[layer]):
                found.add(f"{relative_path}:{line} imports {module}")
    return sorted(found)


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_imports_point_down_the_layers(layer):
    assert wrong_way_imports(layer, sources(layer)) == []


PROBE = """import network.models
from . import models


def later():
    from kohtaamispaikat.demo import loader
"""


def test_the_walk_sees_top_level_relative_and_function_level_imports():
    probe = [(Path("places/probe.py"), PROBE)]
    assert wrong_way_imports("places", probe) == [
        "places/probe.py:1 imports network.models",
        "places/probe.py:6 imports kohtaamispaikat.demo",
        "places/probe.py:6 imports kohtaamispaikat.demo.loader",
    ]
    relative = dict(imported_modules(Path("places/sub/__init__.py"), "from .. import views"))
    assert relative == {1: "places.views"}


def names_an_app(node):
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return bool(APP_LABEL.match(node.value))
    return False


def test_the_core_names_no_app():
    """No import of an app and no model label like "places.Place": the core reaches the apps
    only through their AppConfigs and settings."""
    found = [
        f"{relative_path}:{node.lineno} names {node.value!r}"
        for relative_path, source in sources(CORE)
        for node in ast.walk(ast.parse(source))
        if names_an_app(node)
    ]
    assert found == []
    assert wrong_way_imports(CORE, sources(CORE)) == []
