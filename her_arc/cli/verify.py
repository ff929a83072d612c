"""``her-arc verify PROGRAM TASK``: run a program file on every pair of a task and report each one.

Exit status: 0 when every pair is right, 1 when one is not, 2 on bad input (a missing or unreadable program, an
unknown task).
"""

from __future__ import annotations

import argparse
import sys


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("program", help="a Python file defining def task(img): ... (the sandbox's program format)")
    parser.add_argument("task", help="a bundled task name, an ARC task as SPLIT/ID (e.g. arc1-train/007bbfb7) "
                                     "or a path to an ARC task .json file")
    parser.add_argument("--timeout-s", type=float, default=2.0,
                        help="CPU seconds per pair before the program is stopped (default: 2.0)")


def run(args: argparse.Namespace) -> int:
    from her_arc.arc.data import ArcDataUnavailable
    from her_arc.arc.verify import ProgramFileError, verify_file
    from her_arc.tasks import TaskFormatError

    try:
        report = verify_file(args.program, args.task, timeout_s=args.timeout_s)
    except (ProgramFileError, TaskFormatError, ArcDataUnavailable, ValueError) as exc:
        print(f"her-arc verify: error: {exc}", file=sys.stderr)
        return 2
    print(report.format_report())
    return report.exit_code
