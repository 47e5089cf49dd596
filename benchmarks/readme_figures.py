"""The README's figures and layout, regenerated from the current code instead of typed.

Blocks of README.md between ``<!-- figures: NAME -->`` and ``<!-- /figures -->``
are written by this script:

* ``build-summary``, ``build-counts``: what ``make run`` prints and counts,
  from ``graphs/build-report.json``;
* ``gephi-sample``: nodes, edges, communities and file sizes of the three
  Gephi projections of the sample graph (the bundled corpus built afresh);
* ``viewer-sample``: nodes, edges and size of ``graphs/kg.html``;
* ``layout``: the tree of ``kg/`` with the first sentence of each module's docstring.

Every block is a function of the code and the bundled corpus, so a test
(``tests/test_benchmarks.py``) runs ``--check`` and fails when the README is stale.
Measured figures (times) are not written here: the benchmarks print them.

    .venv/bin/python benchmarks/readme_figures.py            # rewrite README.md
    .venv/bin/python benchmarks/readme_figures.py --check    # exit 1 and name stale blocks
    .venv/bin/python benchmarks/readme_figures.py --quick    # --check on the blocks that need no build
"""

from __future__ import annotations

import argparse
import ast
import json
import re
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
README = REPO / "README.md"
GRAPHS = REPO / "graphs"
BLOCK = re.compile(r"(<!-- figures: (?P<name>[a-z-]+) -->\n)(?P<body>.*?)(<!-- /figures -->)", re.S)
TOP_LEVEL = {
    "schemas/": "copies of kg/data/schemas/ for readers (the package's are used; a test keeps them equal)",
    "tests/": "the pytest suite and its fixtures (tests/README.md: where a new test goes)",
    "graphs/": "the graph of the bundled sample corpus, as `make run` builds it",
    "benchmarks/": "speed and scale scripts (each with a --quick mode the suite runs); README figures",
}
DATA = {
    "corpus/": "the bundled sample corpus (five listing pages)",
    "queries/": "saved SPARQL queries (.rq with a name/description/param header)",
    "relations/": "relation rules: paper -> entity triggers, entity -> entity patterns",
    "rules/": "extraction rules: gazetteers, context, naming, heads, stop-lists, confidences",
    "schemas/": "ontology, SHACL shapes, JSON schemas of the rule files",
    "viewer/": "the viewer's HTML template, CSS and JavaScript",
    "palette.json": "colours and shapes per node kind and edge type",
}


def mib(path: Path) -> str:
    return f"{path.stat().st_size / 2**20:.1f} MiB"


def build_summary() -> str:
    report = json.loads((GRAPHS / "build-report.json").read_text(encoding="utf-8"))
    files = sorted([*report["files"].values(), "build-report.json", "build-timings.json"])
    line = (f"kg: build: {report['papers']} papers, {report['entities']['total']} entities, "
            f"{report['edges']['total']} edges, {report['triples']} triples -> graphs/ ({', '.join(files)})")
    return f"```\n{line}\n```\n"


def build_counts() -> str:
    report = json.loads((GRAPHS / "build-report.json").read_text(encoding="utf-8"))
    entities = ", ".join(f"{n} {t}" for t, n in report["entities"]["by_type"].items())
    edges = ", ".join(f"{n} {t}" for t, n in report["edges"]["by_type"].items())
    return (f"The sample corpus gives {report['papers']} papers, {report['entities']['total']} entities\n"
            f"({entities}) and {report['edges']['total']} edges ({edges})\n"
            f"backed by {report['edges']['evidence']} evidence sentences: {report['triples']:,} triples.\n")


def gephi_sample() -> str:
    from kg.build import BuildOptions, RunSettings, run_build
    from kg.build.outputs import built_graph
    from kg.export import gexf, graphml
    from kg.export.gephi import prepare, write_lines
    from kg.graph.projection import PROJECTIONS
    from kg.report import RunReport

    rows = ["| projection | nodes | edges | communities | GraphML | GEXF |", "|---|---|---|---|---|---|"]
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder)
        run_build([], out / "build", BuildOptions(formats=("nt",)), RunReport(), RunSettings(progress=False))
        graph = built_graph(out / "build")
        for projection in PROJECTIONS:
            export = prepare(graph, projection)
            write_lines(graphml.generate(export), out / "kg.graphml", "GraphML")
            write_lines(gexf.generate(export), out / "kg.gexf", "GEXF")
            edges = f"{export.number_of_edges():,}"
            if projection == "papers":
                edges += f" ({export.graph['hubs_skipped']} hubs over {export.graph['hub_limit']} papers skipped)"
            communities = len({data["community"] for _, data in export.nodes(data=True)})
            rows.append(f"| {projection} | {export.number_of_nodes():,} | {edges} | {communities} | "
                        f"{mib(out / 'kg.graphml')} | {mib(out / 'kg.gexf')} |")
    return "\n".join(rows) + "\n"


def viewer_sample() -> str:
    page = (GRAPHS / "kg.html").read_text(encoding="utf-8")
    data = json.loads(re.search(r'<script id="kg-data" type="application/json">(.*?)</script>', page, re.S).group(1))
    return (f"The sample page (`graphs/kg.html`) holds {len(data['nodes']):,} nodes and "
            f"{len(data['edges']):,} edges in {(GRAPHS / 'kg.html').stat().st_size / 1e6:.1f} MB.\n")


def _summary(path: Path) -> str:
    """The first sentence of a module's docstring, on one line."""
    doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
    paragraph = " ".join(doc.strip().split("\n\n")[0].split())
    end = re.search(r"[.:](?:\s|$)", paragraph)
    return paragraph[: end.start() + 1] if end else paragraph


def layout() -> str:
    package = REPO / "kg"
    lines: list[tuple[str, str]] = [("kg/", _summary(package / "__init__.py"))]

    def walk(folder: Path, depth: int) -> None:
        for path in sorted(folder.iterdir(), key=lambda p: (p.is_dir(), p.name)):
            if path.name.startswith((".", "__pycache__")) or path.name == "__init__.py":
                continue
            indent = "  " * depth
            if path.is_dir() and path.name == "data":
                lines.append((f"{indent}data/", "package data, found with importlib.resources (kg.resources)"))
                for name, what in DATA.items():
                    lines.append((f"{indent}  {name}", what))
            elif path.is_dir():
                init = path / "__init__.py"
                lines.append((f"{indent}{path.name}/", _summary(init) if init.exists() else ""))
                walk(path, depth + 1)
            elif path.suffix == ".py":
                lines.append((f"{indent}{path.name}", _summary(path)))

    walk(package, 1)
    lines += list(TOP_LEVEL.items())
    width = max(len(name) for name, _ in lines) + 2
    body = "\n".join(f"{name:<{width}}{what}".rstrip() for name, what in lines)
    return f"```\n{body}\n```\n"


BLOCKS: dict[str, Callable[[], str]] = {
    "build-summary": build_summary,
    "build-counts": build_counts,
    "gephi-sample": gephi_sample,
    "viewer-sample": viewer_sample,
    "layout": layout,
}
NEEDS_BUILD = {"gephi-sample"}


def regenerate(text: str, names: set[str]) -> tuple[str, list[str]]:
    """The README with the named blocks regenerated, and the names of those that changed."""
    found = {m.group("name") for m in BLOCK.finditer(text)}
    missing = sorted(set(BLOCKS) - found)
    if missing:
        raise SystemExit(f"README.md has no block for: {', '.join(missing)}")
    changed: list[str] = []

    def fill(match: re.Match[str]) -> str:
        name = match.group("name")
        if name not in names:
            return match.group(0)
        if name not in BLOCKS:
            raise SystemExit(f"README.md: unknown figures block {name!r}")
        body = BLOCKS[name]()
        if body != match.group("body"):
            changed.append(name)
        return match.group(1) + body + match.group(4)

    return BLOCK.sub(fill, text), changed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if a block is stale")
    parser.add_argument("--quick", action="store_true", help="--check on the blocks that need no build")
    args = parser.parse_args(argv)
    names = set(BLOCKS) - NEEDS_BUILD if args.quick else set(BLOCKS)
    text = README.read_text(encoding="utf-8")
    updated, changed = regenerate(text, names)
    if args.check or args.quick:
        if changed:
            print(f"README.md is stale: {', '.join(changed)} (run benchmarks/readme_figures.py)", file=sys.stderr)
            return 1
        print(f"README.md figures current: {', '.join(sorted(names))}")
        return 0
    README.write_text(updated, encoding="utf-8")
    print(f"README.md: {', '.join(changed) or 'nothing'} regenerated")
    return 0


if __name__ == "__main__":
    sys.exit(main())
