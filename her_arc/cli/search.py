"""``her-arc search TASK``: run the hindsight-relabeling search on one task (flags from :class:`SearchConfig`)."""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys

from her_arc.cli.flags import add_flags, config_from_args
from her_arc.errors import ConfigError
from her_arc.search.config import SearchConfig


def parse_groups(text: str) -> tuple[tuple[int, float], ...]:
    """``"8@0.1,32@0.9"`` -> ((8, 0.1), (32, 0.9))."""
    try:
        return tuple((int(n), float(t)) for n, t in (part.split("@") for part in text.split(",")))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected COUNT@TEMPERATURE[,COUNT@TEMPERATURE...], e.g. 8@0.1,32@0.9; got {text!r}") from None


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("task", help="a bundled task name (e.g. squares-12), an ARC task as SPLIT/ID "
                                     "(e.g. arc1-train/007bbfb7) or a path to an ARC task .json file")
    parser.set_defaults(config_flags=add_flags(parser, SearchConfig, parse={"sample.groups": parse_groups}))
    parser.add_argument("--json", action="store_true", help="print the result as one JSON object on stdout")
    parser.epilog = ("The epoch line: pairs = train pairs the best program so far reproduces exactly (tasks whose "
                     "inputs hold something to read); best/mean = pixel accuracy of the best and the average program; "
                     "ran = the "
                     "task's samples that ran in the sandbox / sampled; refined = refinement continuations that ran / "
                     "sampled; grammar = grammar programs that ran / drawn (tasks that read their input); "
                     "merged = patches pasted onto the best canvas; trained = relabeled examples trained.")


def progress_line(record: dict) -> str:
    """One epoch's progress (see the command's epilog for the columns)."""
    c = record["counts"]
    refined = f"refined {c['refined']}/{c['refine_sampled']}  " if "refine_sampled" in c else ""
    merged = f"merged {c['merge_patches']}  " if "merge_patches" in c else ""
    grammar = f"grammar {c['grammar_ran']}/{c['grammar']}  " if "grammar" in c else ""
    pairs = f"pairs {record['pairs_right']}/{record['n_pairs']}  " if record.get("reads_input") else ""
    return (f"epoch {record['epoch']:3d}  {pairs}best {record['best_accuracy']:.3f}  "
            f"mean {record['mean_accuracy']:.3f}  "
            f"ran {c.get('ok', 0)}/{c['sampled']}  {refined}{grammar}{merged}trained {c.get('trained', 0)}  "
            f"samples {record['samples']}  {record['wall_time_s']:.0f}s")


def _progress(record: dict) -> None:
    print(progress_line(record), file=sys.stderr, flush=True)


@contextlib.contextmanager
def _stdout_to_stderr(active: bool):
    """With ``--json``, stdout must carry only the result: send everything else (vLLM's logs, its worker
    processes' output) to stderr, at the file-descriptor level so child processes follow."""
    if not active:
        yield
        return
    sys.stdout.flush()
    saved = os.dup(1)
    os.dup2(2, 1)
    try:
        yield
    finally:
        sys.stdout.flush()
        os.dup2(saved, 1)
        os.close(saved)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from her_arc.painter import resolve_model_dir
    from her_arc.programs.views import views
    from her_arc.search.rundir import RunDir, check_resume
    from her_arc.tasks import load_task

    try:  # every bad input is reported before any model loads
        config = config_from_args(SearchConfig, args, args.config_flags)
        task = load_task(args.task)
        views(config.sample.views, [g.shape for pair in task.train for g in pair])
        resolve_model_dir(config.model)
    except (ValueError, FileNotFoundError) as exc:
        print(f"her-arc search: error: {exc}", file=sys.stderr)
        return 2
    if config.run.resume and config.run.run_dir:
        run_dir = RunDir(Path(config.run.run_dir))
        try:
            if check_resume(run_dir, config):
                print(f"resuming from epoch {run_dir.load_state().epoch + 1} of {run_dir.path}", file=sys.stderr)
        except (ValueError, KeyError) as exc:
            print(f"her-arc search: error: {exc}", file=sys.stderr)
            return 2

    from her_arc.search import solve_task

    try:
        with _stdout_to_stderr(args.json):
            result = solve_task(task, config, progress=_progress)
    except (FileExistsError, ConfigError, ValueError) as exc:
        print(f"her-arc search: error: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(result.to_dict()))
        return 0 if result.solved else 1
    verdict = "solved" if result.solved else "not solved"
    if result.model_skipped:
        print(f"note: {result.model_skipped}")
    grammar = f" and {result.grammar_programs} grammar programs" if result.grammar_programs else ""
    print(f"{task.name}: {verdict} in {_plural(result.epochs, 'epoch')}, {result.samples} samples{grammar}, "
          f"{result.wall_time_s:.0f}s (sampling {result.sampling_s:.0f}s, execution {result.execution_s:.0f}s, "
          f"training {result.training_s:.0f}s); run in {result.run_dir}")
    if result.solved:
        print(result.program)
    else:
        lines = (result.best_program or "").count("\n") + 1
        print(f"best: {result.pairs_right}/{result.n_pairs} train pairs right, "
              f"pixel accuracy {result.best_accuracy:.3f} "
              f"(all background {result.baselines['background']:.3f}, input unchanged "
              f"{result.baselines['identity']:.3f}); its {lines}-line program is in {result.run_dir}/result.json")
    return 0 if result.solved else 1
