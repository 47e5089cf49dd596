"""Command line: a thin shell over the library.

Each command is a module in ``kg.cli.commands`` with ``NAME``, ``HELP``,
``EXAMPLES``, ``add_arguments(parser)`` and ``run(args) -> int``; they are
discovered, so adding a command is adding a module. Library errors become
one-line messages and documented exit codes.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
from collections.abc import Sequence
from types import ModuleType

from kg import __version__
from kg.errors import KGError

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130

DESCRIPTION = """\
Build a knowledge graph of methods, datasets, architectures, metrics and tasks
from machine-learning paper listings, and export it as RDF, GraphML/GEXF and
an offline HTML viewer.
"""

EPILOG = """\
examples:
  kg build                      build the bundled sample corpus into graphs/
  kg papers listing.txt -o papers.jsonl
  kg extract arxiv.jsonl.gz -o mentions.jsonl
  kg query graphs/kg.ttl --saved most-used-datasets

exit codes: 0 success (warnings may have been printed), 1 the run could not
go on (nothing readable, invalid data), 2 bad usage, 130 interrupted.
"""


def command_modules() -> list[ModuleType]:
    """Every command module, sorted by name."""
    from kg.cli import commands

    found = [
        importlib.import_module(f"{commands.__name__}.{info.name}")
        for info in pkgutil.iter_modules(commands.__path__)
        if not info.name.startswith("_")
    ]
    return sorted(found, key=lambda module: module.NAME)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kg",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"kg {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in command_modules():
        command = sub.add_parser(
            module.NAME,
            help=module.HELP,
            description=module.HELP,
            epilog="examples:\n" + module.EXAMPLES,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        module.add_arguments(command)
        command.set_defaults(run=module.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "run", None) is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        return int(args.run(args) or EXIT_OK)
    except KGError as err:
        print(f"kg: error: {err}", file=sys.stderr)
        return err.exit_code
    except KeyboardInterrupt:
        print("kg: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        sys.stderr.close()  # output piped into `head`: not an error
        return EXIT_OK
    except OSError as err:  # the filesystem refused: disk full, read-only, permission denied
        where = f"{err.filename}: " if err.filename else ""
        print(f"kg: error: {where}{err.strerror or err}", file=sys.stderr)
        return EXIT_FAILURE
