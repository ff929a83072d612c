"""``her-arc search TASK``: run the hindsight-relabeling search on one task."""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys

from her_arc.search import DEFAULT_GROUPS, SearchConfig
from her_arc.training import AdapterConfig


def parse_groups(text: str) -> tuple[tuple[int, float], ...]:
    """``"8@0.1,128@0.9"`` -> ((8, 0.1), (128, 0.9))."""
    try:
        groups = tuple((int(n), float(t)) for n, t in (part.split("@") for part in text.split(",")))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected COUNT@TEMPERATURE[,COUNT@TEMPERATURE...], e.g. 8@0.1,128@0.9; got {text!r}"
        ) from None
    return groups


def configure(parser: argparse.ArgumentParser) -> None:
    defaults, adapter = SearchConfig(), AdapterConfig()
    parser.add_argument(
        "task", help="a bundled task name (e.g. squares-12) or a path to an ARC task .json file"
    )
    parser.add_argument("--model", help="a Hugging Face causal LM directory (default: the shipped painter)")
    parser.add_argument(
        "--max-epochs", type=int, default=defaults.max_epochs, help="give up after this many epochs"
    )
    parser.add_argument(
        "--groups",
        type=parse_groups,
        default=DEFAULT_GROUPS,
        help="samples of the task's prompt per epoch as COUNT@TEMPERATURE,... (default: "
        + ",".join(f"{n}@{t:g}" for n, t in DEFAULT_GROUPS) + ")",
    )
    parser.add_argument("--top-p", type=float, default=defaults.top_p)
    parser.add_argument(
        "--max-new-tokens", type=int, help="completion budget (default: sized from the target)"
    )
    parser.add_argument("--backend", choices=("auto", "vllm", "transformers"), default=defaults.backend)
    parser.add_argument(
        "--order",
        choices=("worst_to_best", "shuffle"),
        default=defaults.order,
        help="training order of each epoch's relabeled examples",
    )
    parser.add_argument(
        "--future",
        action=argparse.BooleanOptionalAction,
        default=defaults.future,
        help="also train on program prefixes and the canvases they draw (HER 'future')",
    )
    parser.add_argument(
        "--compose",
        type=int,
        default=defaults.compose,
        metavar="N",
        help="also run N programs per epoch made of two sampled programs one after the other (0: off)",
    )
    parser.add_argument(
        "--learn",
        action=argparse.BooleanOptionalAction,
        default=defaults.learn,
        help="relabel and fine-tune each epoch (--no-learn: sample the same model every epoch, an ablation)",
    )
    parser.add_argument(
        "--train-on",
        choices=("drawings", "steps", "both"),
        default=defaults.train_on,
        help="fine-tune on whole drawings relabeled (the task's inputs -> what a program drew), on refinement "
        "steps relabeled (a canvas -> what a continuation drew on it), or both",
    )
    parser.add_argument(
        "--merge",
        action=argparse.BooleanOptionalAction,
        default=defaults.merge,
        help="paste every patch that helped onto the best drawing so far, each epoch",
    )
    parser.add_argument(
        "--refine",
        type=int,
        default=defaults.refine,
        metavar="K",
        help="each epoch, prompt the painter with the K best drawings so far as inputs and append what it writes "
        "to the programs that drew them (0: off)",
    )
    parser.add_argument(
        "--refine-goals",
        type=int,
        default=defaults.refine_goals,
        metavar="G",
        help="prompts per refined drawing, each showing the target inside another random window",
    )
    parser.add_argument(
        "--refine-max-shapes",
        type=int,
        default=defaults.refine_max_shapes,
        metavar="S",
        help="target shapes a refinement window may hold (0: show the whole target)",
    )
    parser.add_argument(
        "--views",
        type=int,
        default=defaults.views,
        metavar="V",
        help="ask every prompt in V turned or mirrored copies (1-8) and map the programs back: the painter's "
        "mistakes differ from view to view",
    )
    parser.add_argument(
        "--stepwise",
        type=int,
        default=defaults.stepwise,
        metavar="N",
        help="each epoch, also write N programs a draw at a time, asking the painter again on the canvas drawn so "
        "far after every line (0: off)",
    )
    parser.add_argument(
        "--refine-stepwise",
        action=argparse.BooleanOptionalAction,
        default=defaults.refine_stepwise,
        help="write refinement continuations a draw at a time as well",
    )
    parser.add_argument(
        "--stepwise-temperature", type=float, default=defaults.stepwise_temperature, metavar="T",
        help="sampling temperature of the stepwise programs",
    )
    parser.add_argument(
        "--refine-samples",
        type=int,
        default=defaults.refine_samples,
        metavar="N",
        help="samples per refinement prompt (at the hottest temperature; at --stepwise-temperature when written "
        "a draw at a time)",
    )
    parser.add_argument(
        "--all-outputs",
        dest="only_novel",
        action="store_false",
        help="re-train outputs already trained in earlier epochs",
    )
    parser.add_argument(
        "--max-examples",
        type=int,
        dest="max_examples_per_epoch",
        default=defaults.max_examples_per_epoch,
        help="cap on relabeled examples trained per epoch, the most accurate kept (0: no cap)",
    )
    parser.add_argument("--lr", type=float, default=adapter.learning_rate, help="LoRA learning rate")
    parser.add_argument("--lora-r", type=int, default=adapter.lora_r, help="LoRA rank")
    parser.add_argument(
        "--restart-adapter", action="store_true", help="start each epoch from a fresh adapter"
    )
    parser.add_argument("--timeout", type=float, default=defaults.timeout_s, help="seconds per program")
    parser.add_argument("--seed", type=int, default=defaults.seed)
    parser.add_argument("--threads", type=int, help="torch CPU threads for training")
    parser.add_argument("--run-dir", help="where to write the run (default: runs/<task>-<time>)")
    parser.add_argument("--resume", action="store_true", help="continue the run in --run-dir")
    parser.add_argument("--no-plots", dest="plots", action="store_false", help="skip the PNG plots")
    parser.add_argument("--json", action="store_true", help="print the result as one JSON object on stdout")


def config_from_args(args: argparse.Namespace) -> SearchConfig:
    adapter = AdapterConfig(
        learning_rate=args.lr,
        lora_r=args.lora_r,
        lora_alpha=2 * args.lora_r,
        restart_each_epoch=args.restart_adapter,
        seed=args.seed,
    )
    return SearchConfig(
        model=args.model,
        max_epochs=args.max_epochs,
        groups=args.groups,
        top_p=args.top_p,
        max_new_tokens=args.max_new_tokens,
        backend=args.backend,
        order=args.order,
        only_novel=args.only_novel,
        future=args.future,
        compose=args.compose,
        merge=args.merge,
        learn=args.learn,
        train_on=args.train_on,
        refine=args.refine,
        refine_goals=args.refine_goals,
        refine_max_shapes=args.refine_max_shapes,
        refine_samples=args.refine_samples,
        views=args.views,
        stepwise=args.stepwise,
        stepwise_temperature=args.stepwise_temperature,
        refine_stepwise=args.refine_stepwise,
        max_examples_per_epoch=args.max_examples_per_epoch or None,
        adapter=adapter,
        timeout_s=args.timeout,
        seed=args.seed,
        num_threads=args.threads,
        run_dir=args.run_dir,
        resume=args.resume,
        plots=args.plots,
    )


def progress_line(record: dict) -> str:
    """One epoch's progress: best and mean accuracy, what ran of the task's and the refinement samples, how many
    patches were merged, examples trained, samples so far and time."""
    c = record["counts"]
    refined = f"refined {c['refined']}/{c['refine_sampled']}  " if "refine_sampled" in c else ""
    merged = f"merged {c['merge_patches']}  " if "merge_patches" in c else ""
    return (f"epoch {record['epoch']:3d}  best {record['best_accuracy']:.3f}  mean {record['mean_accuracy']:.3f}  "
            f"ran {c.get('ok', 0)}/{c['sampled']}  {refined}{merged}trained {c.get('trained', 0)}  "
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


def run(args: argparse.Namespace) -> int:
    from her_arc.painter import resolve_model_dir
    from her_arc.tasks import load_task
    from her_arc.views import views

    try:  # every bad input is reported before any model loads
        config = config_from_args(args)
        task = load_task(args.task)
        views(config.views, [g.shape for pair in task.train for g in pair])
        resolve_model_dir(config.model)
    except (ValueError, FileNotFoundError) as exc:
        print(f"her-arc search: error: {exc}", file=sys.stderr)
        return 2

    from her_arc.search import solve_task

    try:
        with _stdout_to_stderr(args.json):
            result = solve_task(task, config, progress=_progress)
    except (FileExistsError, ValueError) as exc:
        print(f"her-arc search: error: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps({**result.to_dict(), "program": result.program}))
    else:
        verdict = (
            f"solved in {result.epochs} epochs" if result.solved else f"not solved in {result.epochs} epochs"
        )
        print(
            f"{task.name}: {verdict}, {result.samples} samples, {result.wall_time_s:.0f}s "
            f"(sampling {result.sampling_s:.0f}s, execution {result.execution_s:.0f}s, "
            f"training {result.training_s:.0f}s); run in {result.run_dir}"
        )
        print(result.program or f"best ({result.best_accuracy:.3f}):\n{result.best_program}")
    return 0 if result.solved else 1
