"""The static HTML report of ``her-arc solve``: one self-contained ``index.html`` (no scripts, no external files)."""

from __future__ import annotations

import html
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from her_arc.files import write_text_atomic
from her_arc.tasks import Task

__all__ = ["write_report"]

PALETTE = (
    "#000000", "#0074D9", "#FF4136", "#2ECC40", "#FFDC00", "#AAAAAA", "#F012BE", "#FF851B", "#7FDBFF", "#870C25",
)  # fmt: skip
UNFINISHED = ("pending", "running")
REFRESH_S = 30  # while some tasks are unfinished the page reloads itself (a meta refresh, no script)

CSS = """
body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#222;background:#fafafa}
h1{margin:0 0 .3em}h2{margin:0 0 .3em;font-size:1.2em}h3{margin:.8em 0 .3em;font-size:1em;color:#555}
.counts span{display:inline-block;margin-right:1.2em}.counts b{font-size:1.2em}
table.rows{border-collapse:collapse;margin:1em 0;background:#fff}
.rows th,.rows td{border:1px solid #ddd;padding:2px 8px;text-align:left}.rows td.n{text-align:right}
.rows th{background:#eee}
.st{padding:0 6px;border-radius:3px;font-size:.9em;color:#fff;background:#888}
.st.solved{background:#2a8a3a}.st.error{background:#c0392b}.st.timeout{background:#d35400}
.st.pending,.st.running{background:#2c6fbb}.st.refused{background:#8e44ad}
section.task{background:#fff;border:1px solid #ddd;border-radius:4px;padding:.8em 1em;margin:1em 0}
.meta{color:#555;margin:0}.top{float:right;font-size:.9em}
.pairs{display:flex;flex-wrap:wrap;gap:.6em 2em;align-items:flex-start}
.pair{display:flex;gap:.6em;align-items:center;flex-wrap:wrap}
.arrow{color:#888;font-size:1.3em}
figure{margin:0;display:inline-flex;flex-direction:column;align-items:center;padding:3px;border:2px solid transparent}
figcaption{font-size:.8em;color:#555}
figure.right{border-color:#2ECC40}figure.wrong{border-color:#FF4136}figure.expected{border:2px dashed #999}
.right figcaption{color:#1e7a2c}.wrong figcaption{color:#b0281b}
.g{display:grid;gap:1px;background:#555;border:1px solid #555;width:max-content}
.g i{display:block;width:11px;height:11px}
pre{background:#f4f4f4;border:1px solid #ddd;padding:.5em;overflow-x:auto;white-space:pre-wrap;margin:0}
pre.err{background:#fdecea;border-color:#f5c6c0;color:#8a1c12}
.note{color:#888;font-style:italic}
""" + "".join(f".c{i}{{background:{c}}}" for i, c in enumerate(PALETTE))


def write_report(
    out_dir: str | os.PathLike, rows: Sequence[dict], tasks: Mapping[str, Task], title: str = "her-arc solve"
) -> Path:
    """Write out_dir/index.html atomically from the result rows; return its path."""
    return write_text_atomic(Path(out_dir) / "index.html", _page(rows, tasks, title))


def _page(rows: Sequence[dict], tasks: Mapping[str, Task], title: str) -> str:
    """The report page as HTML text."""
    refresh = any(r.get("status") in UNFINISHED for r in rows)
    head = [
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">',
        f'<meta http-equiv="refresh" content="{REFRESH_S}">' if refresh else "",
        f"<title>{_esc(title)}</title><style>{CSS}</style></head><body>",
        f'<h1 id="top">{_esc(title)}</h1>',
        _counts(rows),
        _table(rows),
    ]
    sections = [_section(r, tasks.get(r.get("name", ""))) for r in rows]
    return "\n".join([*head, *sections, "</body></html>\n"])


# --- pieces ----------------------------------------------------------------------------------------------------


def _esc(value: Any) -> str:
    return html.escape(str(value))


def _anchor(row: dict) -> str:
    return "t-" + _esc(row.get("name", ""))


def _dash(value: Any, fmt: str = "{}") -> str:
    return "—" if value is None else _esc(fmt.format(value))


def _pairs(row: dict) -> str:
    n = row.get("n_pairs")
    return "—" if not n else f"{row.get('pairs_right') or 0}/{n}"


def _score(row: dict) -> str:
    return _dash(row.get("score"), "{:.2f}")


def _counts(rows: Sequence[dict]) -> str:
    statuses = [r.get("status") for r in rows]
    scores = [r["score"] for r in rows if r.get("score") is not None]
    mean = f"{100 * sum(scores) / len(scores):.1f}%" if scores else "—"
    items = [
        ("tasks", len(rows)),
        ("finished", sum(s not in UNFINISHED for s in statuses)),
        ("solved train", statuses.count("solved")),
        (f"test score (mean of {len(scores)} scored)", mean),
        ("errors", statuses.count("error")),
        ("timeouts", statuses.count("timeout")),
    ]
    return '<p class="counts">' + "".join(f"<span>{_esc(k)}: <b>{_esc(v)}</b></span>" for k, v in items) + "</p>"


def _table(rows: Sequence[dict]) -> str:
    head = "".join(f"<th>{h}</th>" for h in ("task", "status", "train", "score", "epochs", "samples", "seconds"))
    body = [
        f'<tr><td><a href="#{_anchor(r)}">{_esc(r.get("name", ""))}</a></td><td>{_status(r)}</td>'
        f'<td class="n">{_pairs(r)}</td><td class="n">{_score(r)}</td><td class="n">{_dash(r.get("epochs"))}</td>'
        f'<td class="n">{_dash(r.get("samples"))}</td><td class="n">{_dash(r.get("seconds"), "{:.1f}")}</td></tr>'
        for r in rows
    ]
    return '<table class="rows"><thead><tr>' + head + "</tr></thead><tbody>\n" + "\n".join(body) + "</tbody></table>"


def _status(row: dict) -> str:
    status = _esc(row.get("status", ""))
    return f'<span class="st {status}">{status}</span>'


def _section(row: dict, task: Task | None) -> str:
    meta = [
        _esc(row.get("source") or ""),
        f"train {_pairs(row)}",
        f"score {_score(row)}",
        f"epochs {_dash(row.get('epochs'))}",
        f"samples {_dash(row.get('samples'))}",
        _dash(row.get("seconds"), "{:.1f} s"),
    ]
    parts = [
        f'<section class="task" id="{_anchor(row)}"><a class="top" href="#top">top</a>',
        f"<h2>{_esc(row.get('name', ''))} {_status(row)}</h2>",
        '<p class="meta">' + " · ".join(meta) + "</p>",
    ]
    if task is None:
        parts.append('<p class="note">task not loaded yet</p>')
    else:
        parts.append(_train(task))
    parts.append(_tests(row, task))
    program, label = (row.get("program"), "solution") if row.get("program") else (row.get("best_program"), "best")
    if program:
        parts.append(f"<h3>{label} program</h3><pre>{_esc(program)}</pre>")
    if row.get("error"):
        parts.append(f'<h3>error</h3><pre class="err">{_esc(row["error"])}</pre>')
    parts.append("</section>")
    return "\n".join(parts)


def _train(task: Task) -> str:
    pairs = [
        f'<div class="pair">{_figure(p.input, f"in {i + 1}")}<span class="arrow">→</span>'
        f"{_figure(p.output, f'out {i + 1}')}</div>"
        for i, p in enumerate(task.train)
    ]
    return '<h3>train</h3><div class="pairs">' + "".join(pairs) + "</div>"


def _tests(row: dict, task: Task | None) -> str:
    inputs = list(task.test) if task is not None else []
    known = list(task.test_outputs) if task is not None and task.test_outputs is not None else []
    attempts = row.get("attempts") or []
    n = max(len(inputs), len(attempts))
    if n == 0:
        return ""
    blocks = []
    for i in range(n):
        figs = [_figure(inputs[i], f"test {i + 1}")] if i < len(inputs) else []
        expected = known[i] if i < len(known) else None
        tries = attempts[i] if i < len(attempts) and attempts[i] else []
        if figs:
            figs.append('<span class="arrow">→</span>')
        figs += [_attempt(grid, j + 1, expected) for j, grid in enumerate(tries)]
        if not tries:
            figs.append('<span class="note">no attempt</span>')
        if expected is not None:
            figs.append(_figure(expected, "expected", "expected"))
        blocks.append('<div class="pair">' + "".join(figs) + "</div>")
    return '<h3>test</h3><div class="pairs">' + "".join(blocks) + "</div>"


def _attempt(grid: Any, number: int, expected: np.ndarray | None) -> str:
    array = _as_grid(grid)
    if expected is None:
        verdict, mark = "", ""
    elif array is not None and array.shape == expected.shape and np.array_equal(array, expected):
        verdict, mark = "right", " ✓ right"
    else:
        verdict, mark = "wrong", " ✗ wrong"
    return _figure(array, f"attempt {number}{mark}", verdict)


def _as_grid(grid: Any) -> np.ndarray | None:
    try:
        array = np.asarray(grid, dtype=np.int64)
    except (TypeError, ValueError, OverflowError):
        return None
    ok = array.ndim == 2 and array.size and array.min() >= 0 and array.max() < len(PALETTE)
    return array if ok else None


def _figure(grid: Any, caption: str, cls: str = "") -> str:
    array = _as_grid(grid)
    shape = f" {array.shape[0]}×{array.shape[1]}" if array is not None else ""
    klass = f' class="{cls}"' if cls else ""
    return f"<figure{klass}>{_grid(array)}<figcaption>{_esc(caption)}{shape}</figcaption></figure>"


def _grid(array: np.ndarray | None) -> str:
    """A grid as a CSS grid of cells with colour classes c0..c9."""
    if array is None:
        return '<span class="note">not a grid</span>'
    cells = "".join(f'<i class="c{int(v)}"></i>' for v in array.ravel())
    return f'<div class="g" style="grid-template-columns:repeat({array.shape[1]},11px)">{cells}</div>'
