"""``her-arc bench BENCHMARK``: run a benchmark and write its table, JSON and plots.

Only ``squares`` (the square-count scaling benchmark, :mod:`her_arc.experiments.benchmark`) lives in the
package; the executor and sampler benchmarks are scripts in the checkout's ``benchmarks/``.
"""

from __future__ import annotations

import argparse
import shlex
import sys
from collections.abc import Sequence
from pathlib import Path

from her_arc.cli.flags import add_flags, config_from_args
from her_arc.cli.search import parse_groups, progress_line
from her_arc.experiments import benchmark
from her_arc.search.config import BACKENDS, SearchConfig


def configure(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="benchmark", title="benchmarks", metavar="BENCHMARK")
    squares = sub.add_parser(
        "squares", help="search cost against the number of squares (squares-9 .. squares-100), beside the reference",
        description=benchmark.__doc__.split("\n\n")[0],
    )
    configure_squares(squares)
    from her_arc.experiments import arc_bench

    arc = sub.add_parser("arc", help="the search over ARC-AGI tasks with a fixed budget, scored as ARC Prize does",
                         description=arc_bench.__doc__.split("\n\n")[0])
    arc.set_defaults(arc_flags=add_flags(arc, arc_bench.ArcBenchConfig,
                                         parse={"variants": _words, "seeds": _ints}))
    arc.add_argument("--ids", metavar="FILE", help="a file of task ids to run, one per line (default: the split)")


def _words(text: str) -> tuple[str, ...]:
    return tuple(w for w in text.replace(",", " ").split() if w)


def _ints(text: str) -> tuple[int, ...]:
    try:
        return tuple(int(w) for w in _words(text))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected integers separated by commas, got {text!r}") from None


def run(args: argparse.Namespace) -> int:
    if args.benchmark is None:
        print("her-arc bench: error: name a benchmark: squares or arc (see 'her-arc bench squares --help')",
              file=sys.stderr)
        return 2
    if args.benchmark == "arc":
        return run_arc(args)
    return run_squares(args, prog="her-arc bench squares")


def run_arc(args: argparse.Namespace) -> int:
    """``her-arc bench arc``: exit 0 when every task ran (solved or not), 1 when one crashed, 2 on bad input."""
    from her_arc.experiments import arc_bench
    from her_arc.tasks import TaskFormatError

    try:
        ids = None
        if args.ids:
            ids = tuple(w for line in Path(args.ids).read_text().splitlines()
                        for w in line.split("#")[0].split())
        bench = config_from_args(arc_bench.ArcBenchConfig, args, args.arc_flags, ids=ids)
        arc_bench.task_sample(bench.split, bench.limit, bench.sample_seed, bench.ids)
    except (OSError, ValueError, TaskFormatError) as exc:
        print(f"her-arc bench arc: error: {exc}", file=sys.stderr)
        return 2

    def show(row: dict) -> None:
        score = "" if row.get("score") is None else f"score {row['score']:.2f}  "
        print(f"{row['id']} {row['variant']} seed {row['seed']}: {row['status']}  {score}"
              f"pairs {row.get('pairs_right') or 0}/{row['n_pairs']}  {row['seconds']:.0f}s",
              file=sys.stderr, flush=True)

    try:
        rows = arc_bench.run_arc_bench(bench, progress=show)
    except ValueError as exc:  # rows of another budget in --out-dir (a task's own errors are its row's)
        print(f"her-arc bench arc: error: {exc}", file=sys.stderr)
        return 2
    for variant, s in arc_bench.summarize(rows).items():
        print(f"{variant}: {s['tasks']} tasks, score {100 * s['score']:.1f} %, all train pairs right on "
              f"{s['solved_train']}")
    print(f"wrote {Path(bench.out_dir) / f'arc_{bench.split}.md'} (+ .json, submissions)")
    return 1 if any(r["status"] == "error" for r in rows) else 0


def configure_squares(parser: argparse.ArgumentParser) -> None:
    """The squares benchmark's options (``her-arc bench squares`` and ``benchmarks/squares.py``)."""
    defaults = SearchConfig()
    parser.add_argument("--n", type=int, nargs="+", default=list(benchmark.SQUARES_NS), metavar="N",
                        help=f"square counts to run (default: {' '.join(map(str, benchmark.SQUARES_NS))})")
    parser.add_argument("--seeds", type=int, nargs="+", default=[0], metavar="SEED", help="seeds (default: 0)")
    parser.add_argument("--variants", nargs="+", default=["her"], metavar="VARIANT",
                        help=f"variants to run, or 'all' (default: her): {', '.join(benchmark.VARIANTS)}")
    parser.add_argument("--max-epochs", type=int, default=defaults.max_epochs,
                        help=f"epochs per run before giving up (default: {defaults.max_epochs})")
    parser.add_argument("--time-budget-s", type=float,
                        help="also stop a run after the first epoch that ends past this many seconds")
    parser.add_argument("--groups", type=parse_groups, default=defaults.sample.groups,
                        help="samples of the task's prompt per epoch as COUNT@TEMPERATURE,... (default: the search's)")
    parser.add_argument("--backend", choices=BACKENDS, default=defaults.sample.backend,
                        help="sampler backend (default: auto: vLLM on a CUDA GPU, transformers on a CPU)")
    parser.add_argument("--model", help="a Hugging Face causal LM directory (default: the shipped painter)")
    parser.add_argument("--threads", type=int, help="torch CPU threads for training")
    parser.add_argument("--out-dir", help="where squares.md/.json and the plots go (default: "
                        f"{benchmark.DEFAULT_OUT_DIR}; with --from-json: beside the JSON file)")
    parser.add_argument("--runs-dir", help="where the search runs go (default: runs/bench-squares-<time>)")
    parser.add_argument("--resume", action="store_true",
                        help="keep the runs already in --out-dir's squares.json and run only the missing ones")
    parser.add_argument("--from-json", metavar="PATH",
                        help="re-render the table and plots from an existing squares.json, without running")


def _print_progress(name: str, record: dict) -> None:
    print(f"{name}  {progress_line(record)}", file=sys.stderr, flush=True)


def canonical_command(args: argparse.Namespace, prog: str) -> str:
    """The command line that repeats this benchmark's runs, every budget option spelled out."""
    groups = ",".join(f"{n}@{t:g}" for n, t in args.groups)
    parts = [*shlex.split(prog), "--n", *map(str, args.n), "--seeds", *map(str, args.seeds),
             "--variants", *args.variants, "--max-epochs", str(args.max_epochs), "--groups", groups,
             "--backend", args.backend]
    for flag, value in (("--time-budget-s", args.time_budget_s), ("--model", args.model),
                        ("--threads", args.threads), ("--out-dir", args.out_dir)):
        if value is not None:
            parts += [flag, f"{value:g}" if isinstance(value, float) else str(value)]
    return shlex.join(parts)


def run_squares(args: argparse.Namespace, prog: str = "python benchmarks/squares.py") -> int:
    """Run the benchmark (or re-render with ``--from-json``).

    Exit status 0 when every run finished (solved or not), 1 when one crashed, 2 on bad input.
    """
    if args.from_json:
        try:
            data = benchmark.load_results(args.from_json)
        except (OSError, ValueError) as exc:
            print(f"squares benchmark: error: {exc}", file=sys.stderr)
            return 2
        paths = benchmark.write_outputs(data, args.out_dir or Path(args.from_json).parent)
        print(f"wrote {', '.join(str(p) for p in paths.values())}")
        return 0
    variants = list(benchmark.VARIANTS) if args.variants == ["all"] else args.variants
    out_dir = Path(args.out_dir or benchmark.DEFAULT_OUT_DIR)
    try:
        records = benchmark.run_benchmark(
            args.n, args.seeds, variants, max_epochs=args.max_epochs, time_budget_s=args.time_budget_s,
            groups=args.groups, backend=args.backend, model=args.model, threads=args.threads,
            runs_dir=args.runs_dir, out_dir=out_dir, resume=args.resume, progress=_print_progress,
            command=canonical_command(args, prog),
        )
    except (ValueError, FileNotFoundError) as exc:
        print(f"squares benchmark: error: {exc}", file=sys.stderr)
        return 2
    for r in records:
        state = "error: " + r["error"] if r.get("error") else (
            f"solved in {r['epochs']} epochs" if r["solved"] else f"not solved in {r['epochs']} epochs")
        wall = "" if r.get("error") else f", {r['samples']} samples, {r['wall_time_s']:.0f}s"
        print(f"squares-{r['n']} seed {r['seed']} {r['variant']}: {state}{wall}")
    print(f"wrote {out_dir / (benchmark.BENCHMARK + '.md')} (+ .json, _scaling.png, _curves.png)")
    return 1 if any(r.get("error") for r in records) else 0


def main(argv: Sequence[str] | None = None, prog: str = "python benchmarks/squares.py") -> int:
    """``python benchmarks/squares.py [options]``."""
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = argparse.ArgumentParser(prog=prog.split()[-1], description=benchmark.__doc__.split("\n\n")[0])
    configure_squares(parser)
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else 2
    return run_squares(args, prog)
