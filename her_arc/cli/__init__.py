"""The ``her-arc`` command line: one subcommand per module, imported only when that command runs.

``her-arc --help`` lists the commands from :data:`COMMANDS` without importing any of them, so it is
fast and loads neither torch nor numpy. A command module exposes two functions:

- ``configure(parser: argparse.ArgumentParser) -> None`` adds the command's options;
- ``run(args: argparse.Namespace) -> int`` does the work and returns the exit status.

Exit status: 0 success, 1 failure (including a command that cannot start), 2 bad input (usage
errors, and malformed or missing task files: :class:`her_arc.tasks.TaskFormatError`), 130 interrupted.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from typing import NamedTuple


class Command(NamedTuple):
    module: str
    """the module that implements the command (``configure`` and ``run``)"""
    help: str
    """one line for ``her-arc --help``"""


COMMANDS: dict[str, Command] = {
    "search": Command("her_arc.cli.search", "search for a program that draws a task's outputs"),
    "pretrain": Command("her_arc.cli.pretrain", "pretrain the painter on drawing tasks and generated ARC-like tasks"),
    "evaluate": Command(
        "her_arc.cli.evaluate", "measure a model's pass@k and pixel accuracy on drawing tasks"
    ),
    "solve": Command("her_arc.cli.solve", "solve many tasks (a split, a directory, a list) in parallel, resumably"),
    "bench": Command("her_arc.cli.bench", "run a benchmark and write its table"),
    "tasks": Command("her_arc.cli.tasks", "list the bundled tasks or an ARC split, or show one task"),
    "verify": Command("her_arc.cli.verify", "run a program file on a task and report every pair"),
}
"""Command name -> implementing module and help line. Add a command here; nothing else to change."""

EXIT_OK, EXIT_FAILURE, EXIT_BAD_INPUT, EXIT_INTERRUPTED = 0, 1, 2, 130


def _version() -> str:
    from her_arc import __version__

    return __version__


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The ``her-arc`` parser; only ``command``'s module (if any) is imported to add its options."""
    parser = argparse.ArgumentParser(
        prog="her-arc",
        description="Find programs that draw ARC-style grids: search with hindsight relabeling.",
        epilog="Run 'her-arc COMMAND --help' for a command's options.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    sub = parser.add_subparsers(dest="command", title="commands", metavar="COMMAND")
    parser.set_defaults(_parsers={})
    for name, spec in COMMANDS.items():
        sub_parser = sub.add_parser(name, help=spec.help, description=spec.help)
        parser.get_default("_parsers")[name] = sub_parser
        if name == command:
            module = importlib.import_module(spec.module)
            module.configure(sub_parser)
            sub_parser.set_defaults(_run=module.run)
    return parser


def _requested_command(argv: list[str]) -> str | None:
    """The first argument that is not an option, if it names a command."""
    for arg in argv:
        if not arg.startswith("-"):
            return arg if arg in COMMANDS else None
    return None


def _error(message: str) -> None:
    print(f"her-arc: error: {message}", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    """Run the ``her-arc`` command line with ``argv`` (default: ``sys.argv[1:]``); return the exit status."""
    argv = list(sys.argv[1:] if argv is None else argv)
    command = _requested_command(argv)
    try:
        parser = build_parser(command)
    except ModuleNotFoundError as exc:
        module = COMMANDS[command].module
        if exc.name == module:
            _error(
                f"the '{command}' command is not available in this installation (module {module} is missing)"
            )
        elif exc.name and exc.name.split(".")[0] in ("her_arc", "dsl"):
            _error(
                f"the '{command}' command could not start: module {exc.name} is missing "
                "(an incomplete installation? reinstall her-arc)"
            )
        else:
            _error(
                f"the '{command}' command needs the package '{exc.name}', which is not installed "
                f"(pip install 'her-arc[cpu]' installs everything)"
            )
        return EXIT_FAILURE
    try:
        args, unknown = parser.parse_known_args(argv)
        if unknown:  # reported by the command's own parser, so its usage is the one shown
            (args._parsers.get(args.command) or parser).error(f"unrecognized arguments: {' '.join(unknown)}")
    except SystemExit as exc:  # --help, --version and usage errors
        return exc.code if isinstance(exc.code, int) else EXIT_BAD_INPUT
    if args.command is None:
        parser.print_help(sys.stderr)
        return EXIT_BAD_INPUT
    try:
        return int(args._run(args) or 0)
    except KeyboardInterrupt:
        _error("interrupted")
        return EXIT_INTERRUPTED
    except Exception as exc:
        tasks = sys.modules.get("her_arc.tasks")  # loaded already if the error can come from it
        if tasks is not None and isinstance(exc, tasks.TaskFormatError):
            _error(str(exc))
            return EXIT_BAD_INPUT
        raise

