"""``her-arc solve TASKS --out DIR``: search every task of a split, a directory or a list, in parallel, resumably
(flags from :class:`~her_arc.solve.config.SolveConfig`)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from her_arc.cli.flags import add_flags, config_from_args
from her_arc.errors import ConfigError
from her_arc.solve.config import SolveConfig


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("tasks", nargs="+", metavar="TASKS",
                        help="an ARC split (arc1-eval), SPLIT/ID, task .json files, directories of them, or bundled "
                             "task names")
    parser.set_defaults(config_flags=add_flags(parser, SolveConfig))
    parser.add_argument("--ids", metavar="FILE", help="with one split: solve only the task ids in FILE, one per line")
    parser.add_argument("--search-config", metavar="FILE",
                        help="a JSON file of further search settings, as in a run's config.json (keys may be left "
                             "out: they keep their defaults)")
    parser.add_argument("--json", action="store_true", help="print the summary as one JSON object on stdout")
    parser.epilog = ("Writes DIR/tasks/<task>.json per task as it finishes, DIR/submission.json (ARC Prize format), "
                     "DIR/summary.md and DIR/index.html (the report). Run again with the same DIR to resume: "
                     "finished tasks are skipped, interrupted searches continue. Exit status: 0 when every task "
                     "finished, 1 when some failed or timed out (a rerun tries them again), 2 on bad input.")


def run(args: argparse.Namespace) -> int:
    from her_arc.search.config import SearchConfig
    from her_arc.solve import solve_tasks
    from her_arc.solve.tasks import load_all, read_ids, resolve_tasks
    from her_arc.tasks import TaskFormatError

    try:
        search = SearchConfig()
        if args.search_config:
            saved = json.loads(Path(args.search_config).read_text())
            search = SearchConfig.from_dict({k: v for k, v in saved.items()
                                             if k not in ("her_arc_version", "config_format")})
        config = config_from_args(SolveConfig, args, args.config_flags, search=search)
        if not config.out:
            raise ConfigError("--out", "is required: the directory the results go to")
        ids = read_ids(args.ids) if args.ids else None
        load_all(resolve_tasks(args.tasks, ids=ids, limit=config.limit, sample_seed=config.sample_seed))
    except (ValueError, OSError, TaskFormatError) as exc:  # ConfigError and TaskFormatError are ValueErrors
        print(f"her-arc solve: error: {exc}", file=sys.stderr)
        return 2
    try:
        result = solve_tasks(args.tasks, config, ids=ids)
    except (FileExistsError, ValueError, RuntimeError) as exc:
        print(f"her-arc solve: error: {exc}", file=sys.stderr)
        return 1 if isinstance(exc, RuntimeError) else 2
    if args.json:
        print(json.dumps(result.summary))
    else:
        print((Path(config.out) / "summary.md").read_text(), end="")
        print(f"results in {config.out}/tasks, submission {config.out}/submission.json, report "
              f"{config.out}/index.html")
    return 0 if result.summary["finished"] == result.summary["tasks"] else 1
