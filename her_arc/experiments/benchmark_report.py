"""The squares benchmark's report: the markdown table beside the reference's figures, and its two plots."""

from __future__ import annotations

import os
import statistics
from pathlib import Path

from her_arc.experiments.benchmark import (
    REFERENCE,
    REFERENCE_CURVE_100,
    REFERENCE_SAMPLES_PER_EPOCH,
    REFERENCE_WALL_S,
    VARIANTS,
    WALL_TARGET_S,
    _record_key,
    hardware_text,
)
from her_arc.files import save_figure_atomic


def target_status(record: dict) -> str:
    """Issue #7's target for one run: solved in no more epochs and samples than the reference, within the wall time."""
    if record.get("error"):
        return "error"
    if not record["solved"]:
        return "missed"
    ref = REFERENCE.get(record["n"])
    if ref and (record["epochs"] > ref["epochs"]
                or record["samples"] > ref["epochs"] * REFERENCE_SAMPLES_PER_EPOCH):
        return "missed"
    limit = WALL_TARGET_S.get(record["n"])
    if limit is not None and record["wall_time_s"] > limit:
        return "missed"
    return "met"


_VLLM_NOTE = {True: " (vLLM here)", False: " (transformers here)"}


def _variant_label(data: dict, variant: str) -> str:
    return variant


def _fmt(value, digits: int = 0) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def _per_seed(runs: list[dict], key: str, digits: int = 0) -> str:
    """Per-seed values joined by ' / '; an unsolved run shows '>E' (E = epochs it ran) or '✗'."""
    cells = []
    for r in runs:
        if r.get("error"):
            cells.append("error")
        elif not r["solved"]:
            cells.append(f">{_fmt(r[key], digits)}" if key in ("epochs", "samples", "wall_time_s") else "✗")
        else:
            cells.append(_fmt(r[key], digits))
    return " / ".join(cells)


def _median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def render_markdown(data: dict, images: tuple[str, str] | None = None) -> str:
    """The results as markdown: a summary per (N, variant) beside the reference, then every run."""
    budget, records = data["budget"], sorted(data["records"], key=_record_key)
    groups = " + ".join(f"{n}@T{t:g}" for n, t in budget["groups"])
    lines = [
        "# Squares scaling benchmark",
        "",
        f"Date {data['date']}" + (f" to {data['finished']}" if data.get("finished") else " (unfinished)")
        + f". Hardware: {hardware_text(data['hardware'])}"
        + (f"; load average {data['load_average'][0]:.1f} at the start" if data.get("load_average") else "")
        + ".",
        "",
        f"Seeds {', '.join(map(str, data['seeds']))}; budget per run: {budget['max_epochs']} epochs"
        + (f" or {budget['time_budget_s']:g} s" if budget.get("time_budget_s") else "")
        + f", {budget['samples_per_epoch']} samples per epoch ({groups})"
        + (f" plus {budget['stepwise_per_epoch']} written a draw at a time" if budget.get("stepwise_per_epoch") else "")
        + (f" plus {budget['refine_samples_per_epoch']} refinement samples"
           if budget.get("refine_samples_per_epoch") else "")
        + f", backend {budget['backend']}"
        + _VLLM_NOTE.get(data.get("vllm_usable"), "") + ", "
        + f"model {budget['model'] or 'the shipped painter'}"
        + (f", torch threads {budget['num_threads']}" if budget.get("num_threads") else "")
        + ". Variants: " + "; ".join(f"`{_variant_label(data, v)}`: {VARIANTS.get(v, v)}" for v in data["variants"])
        + ".",
        "",
        "Written by `benchmarks/squares.py` (`her-arc bench squares`)"
        + (f": `{data['command']}`" if data.get("command") else "") + ".",
        "",
        "## Summary",
        "",
        "Per-seed values are joined by ' / '; `>E` is a run that did not solve the task in the E epochs it ran. "
        "Reference: epochs to solve (section 7.7, GPU, 32k-step painter, 136 samples per epoch) and its samples "
        "(epochs x 136). Target (issue #7): solved in no more epochs and samples than the reference, 25 squares "
        "under 600 s and 100 squares under 3600 s.",
        "",
        "| N | variant | solved | epochs | ref epochs | samples | ref samples | wall time (s) | ref wall (s) "
        "| target met |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for n, variant, runs in _grouped(data):
        ref = REFERENCE.get(n, {})
        solved = sum(1 for r in runs if r["solved"])
        met = sum(1 for r in runs if target_status(r) == "met")
        lines.append(
            f"| {n} | {_variant_label(data, variant)} | {solved}/{len(runs)} | {_per_seed(runs, 'epochs')} "
            f"| {_fmt(ref.get('epochs'))} | {_per_seed(runs, 'samples')} "
            f"| {_fmt(ref['epochs'] * REFERENCE_SAMPLES_PER_EPOCH if ref else None)} "
            f"| {_per_seed(runs, 'wall_time_s')} | {_fmt(REFERENCE_WALL_S.get(n))} | {met}/{len(runs)} |"
        )
    lines += [
        "",
        "## Runs",
        "",
        "Wall time is split into sampling, execution (sandbox, scoring, simplifying, relabeling), training "
        "(LoRA fine-tuning) and other (model loading, checkpoints). Solution lines and tokens count the "
        "simplified program (our tokens with the model's own tokenizer; the reference's with Qwen's, so "
        "token counts are not directly comparable).",
        "",
        "| N | variant | seed | solved | epochs | samples | tokens generated | tokens trained | wall (s) "
        "| sampling (s) | execution (s) | training (s) | other (s) | solution lines (ref) | solution tokens (ref) "
        "| best accuracy |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in records:
        ref = REFERENCE.get(r["n"], {})
        if r.get("error"):
            lines.append(f"| {r['n']} | {_variant_label(data, r['variant'])} | {r['seed']} | error: "
                         f"{r['error'][:80].replace('|', '/')} |" + " |" * 12)
            continue
        lines.append(
            f"| {r['n']} | {_variant_label(data, r['variant'])} | {r['seed']} "
            f"| {'yes' if r['solved'] else 'no (' + r['stopped'].replace('_', ' ') + ')'} "
            f"| {r['epochs']} | {r['samples']} | {r['tokens_generated']} | {r['tokens_trained']} "
            f"| {r['wall_time_s']:.0f} | {r['sampling_s']:.0f} | {r['execution_s']:.0f} | {r['training_s']:.0f} "
            f"| {r['other_s']:.0f} | {_fmt(r['solution_lines'])} ({_fmt(ref.get('lines'))}) "
            f"| {_fmt(r['solution_tokens'])} ({_fmt(ref.get('tokens'))}) | {r['best_accuracy']:.3f} |"
        )
    lines += ["", "## Best accuracy per epoch", ""]
    for r in records:
        if not r.get("error"):
            curve = " ".join(f"{a:.2f}" for a in r["accuracy_per_epoch"])
            lines.append(f"- squares-{r['n']} {_variant_label(data, r['variant'])} seed {r['seed']}: {curve}")
    lines.append("- reference, squares-100 (section 7.7): " + " ".join(f"{a:.2f}" for a in REFERENCE_CURVE_100))
    if images:
        lines += ["", f"![epochs, samples and wall time against N]({images[0]})",
                  "", f"![best accuracy per epoch]({images[1]})"]
    return "\n".join(lines) + "\n"


def _grouped(data: dict) -> list[tuple[int, str, list[dict]]]:
    grouped: dict[tuple[int, str], list[dict]] = {}
    for r in data["records"]:
        grouped.setdefault((r["n"], r["variant"]), []).append(r)
    order = {v: i for i, v in enumerate(VARIANTS)}
    keys = sorted(grouped, key=lambda key: (key[0], order.get(key[1], len(order)), key[1]))
    return [(n, v, sorted(grouped[n, v], key=lambda r: r["seed"])) for n, v in keys]


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _save_png(fig, path: Path) -> None:
    save_figure_atomic(fig, path)


_MARKERS = {"her": "o", "sampling_only": "s", "relabel_drawings": "^", "no_compose": "v", "no_refine": "D"}


def plot_scaling(data: dict, path: str | os.PathLike) -> None:
    """Epochs, samples and wall time against N: per-seed points (hollow: unsolved), median of solved runs, reference."""
    plt = _pyplot()
    panels = (("epochs", "epochs"), ("samples", "samples"), ("wall_time_s", "wall time (s)"))
    fig, axes = plt.subplots(1, 3, figsize=(13, 3.8))
    ref_ns = sorted(REFERENCE)
    ref_values = {
        "epochs": [REFERENCE[n]["epochs"] for n in ref_ns],
        "samples": [REFERENCE[n]["epochs"] * REFERENCE_SAMPLES_PER_EPOCH for n in ref_ns],
    }
    for ax, (key, label) in zip(axes, panels, strict=True):
        for i, variant in enumerate(data["variants"]):
            color = f"C{i}"
            runs = [r for r in data["records"] if r["variant"] == variant and not r.get("error")]
            solved = [r for r in runs if r["solved"]]
            unsolved = [r for r in runs if not r["solved"]]
            ax.scatter([r["n"] for r in solved], [r[key] for r in solved], color=color,
                       marker=_MARKERS.get(variant, "o"), s=22, alpha=0.8)
            ax.scatter([r["n"] for r in unsolved], [r[key] for r in unsolved], facecolors="none",
                       edgecolors=color, marker=_MARKERS.get(variant, "o"), s=30)
            ns = sorted({r["n"] for r in solved})
            medians = [_median([r[key] for r in solved if r["n"] == n]) for n in ns]
            ax.plot(ns, medians, color=color, marker=_MARKERS.get(variant, "o"),
                    label=_variant_label(data, variant))
        if key in ref_values:
            ax.plot(ref_ns, ref_values[key], "k--", marker="x", label="reference (GPU)")
        else:
            ax.scatter(list(REFERENCE_WALL_S), list(REFERENCE_WALL_S.values()), color="k", marker="x",
                       label="reference (RTX 3090)", zorder=3)
            ax.scatter(list(WALL_TARGET_S), list(WALL_TARGET_S.values()), color="red", marker="_", s=200,
                       label="target (2 CPU cores)", zorder=3)
            ax.set_yscale("log")
        ax.set(xlabel="squares N", ylabel=label, title=f"{label} against N")
        ax.grid(alpha=0.3)
    axes[0].legend(fontsize=7)
    axes[2].legend(fontsize=7)
    fig.suptitle(f"squares benchmark, {data['date'][:10]}: hollow markers = not solved (value reached)",
                 fontsize=9)
    _save_png(fig, Path(path))
    plt.close(fig)


def plot_curves(data: dict, path: str | os.PathLike) -> None:
    """Best accuracy per epoch for each N: a panel per variant, a line per run, the reference's 100-squares curve."""
    plt = _pyplot()
    variants = data["variants"] or ["her"]
    fig, axes = plt.subplots(1, len(variants), figsize=(4.6 * len(variants), 3.6), squeeze=False)
    ns = sorted({r["n"] for r in data["records"]}) or [0]
    cmap = plt.get_cmap("viridis")
    for ax, variant in zip(axes[0], variants, strict=True):
        for r in sorted(data["records"], key=_record_key):
            if r["variant"] != variant or r.get("error") or not r["accuracy_per_epoch"]:
                continue
            color = cmap(ns.index(r["n"]) / max(len(ns) - 1, 1))
            first = r["seed"] == min(x["seed"] for x in data["records"] if x["n"] == r["n"] and x["variant"] == variant)
            epochs = range(1, len(r["accuracy_per_epoch"]) + 1)
            ax.plot(epochs, r["accuracy_per_epoch"], color=color, marker="." if r["solved"] else None,
                    linewidth=1.2, alpha=0.85, label=f"N={r['n']}" if first else None)
        ax.plot(range(1, len(REFERENCE_CURVE_100) + 1), REFERENCE_CURVE_100, "k--", linewidth=1,
                label="reference N=100")
        ax.set(xlabel="epoch", ylabel="best pixel accuracy", ylim=(0, 1.02), title=_variant_label(data, variant))
        ax.grid(alpha=0.3)
        ax.legend(fontsize=7, loc="lower right")
    _save_png(fig, Path(path))
    plt.close(fig)
