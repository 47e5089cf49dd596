"""Which package may import which: stages depend downwards only, never both ways.

Every ``import`` in ``kg/`` (function-level ones included) is read with ``ast`` and
mapped to the package it names. The base modules (records, ids, errors, ...) import
no stage; ingest, extract, relate, results, graph and rdf import only the base; export reads
the graph; build ties the stages together; the command line sits on top.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "kg"
BASE = {"errors", "ids", "records", "report", "textio", "collector", "resources", "datafiles",
        "palette", "registry", "folder", "__init__"}
STAGES = {"ingest", "extract", "relate", "results", "graph", "rdf"}
ALLOWED: dict[str, set[str]] = {
    "base": set(),
    **{stage: {"base"} for stage in STAGES},
    "serve": {"base"},
    "export": {"base", "graph"},
    "build": {"base", "export", *STAGES},
    "cli": {"base", "export", "build", "serve", *STAGES},
    "__main__": {"cli"},
}


def _unit(module: str) -> str:
    """``kg.graph.edges`` -> ``graph``; the base modules are one unit, ``base``."""
    top = module.split(".")[1] if "." in module else "__init__"
    return "base" if top in BASE else top


def _is_module(name: str) -> bool:
    return (PACKAGE / f"{name}.py").is_file() or (PACKAGE / name / "__init__.py").is_file()


def _imports() -> dict[str, set[str]]:
    """Module name -> kg modules it imports."""
    found: dict[str, set[str]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        targets: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets.update(alias.name for alias in node.names if alias.name.startswith("kg."))
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                if node.module == "kg":
                    targets.update(f"kg.{alias.name}" if _is_module(alias.name) else "kg"
                                   for alias in node.names)
                elif node.module.startswith("kg."):
                    targets.add(node.module)
        found[name] = targets
    return found


IMPORTS = _imports()


@pytest.mark.parametrize("module", sorted(IMPORTS))
def test_package_layers_module_imports_only_what_its_layer_allows(module: str) -> None:
    unit = _unit(module)
    allowed = ALLOWED[unit] | {unit}
    wrong = sorted(t for t in IMPORTS[module] if _unit(t) not in allowed)
    assert not wrong, f"{module} ({unit}) imports {wrong}"


def test_package_layers_no_two_packages_import_each_other() -> None:
    edges = {(_unit(m), _unit(t)) for m, targets in IMPORTS.items() for t in targets}
    both_ways = sorted((a, b) for a, b in edges if a < b and (b, a) in edges)
    assert not both_ways


def test_package_layers_graph_and_exports_never_import_spacy() -> None:
    for path in [*(PACKAGE / "graph").glob("*.py"), *(PACKAGE / "export").glob("*.py"),
                 *(PACKAGE / "rdf").glob("*.py"), *(PACKAGE / "relate").glob("*.py"),
                 *(PACKAGE / "results").glob("*.py")]:
        text = path.read_text(encoding="utf-8")
        assert "import spacy" not in text and "from spacy" not in text, path
