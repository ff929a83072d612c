"""What the hand-written ARC-AGI-1 training solutions use: primitives, Python constructs, length.

    python benchmarks/arc_solutions.py

Reads every ``tasks/arc/solutions/<id>.py`` and writes ``benchmarks/results/arc_solutions.md`` (+ ``.json``): how
many solutions call each DSL primitive, which primitives no solution uses, how many use loops, conditionals,
indexing, comprehensions and nested helpers, and the distribution of lines per solution.
"""

from __future__ import annotations

import ast
import json
import statistics
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from dsl.primitives import PRIMITIVES  # noqa: E402
from her_arc.files import write_text_atomic  # noqa: E402

SOLUTIONS = ROOT / "tasks" / "arc" / "solutions"
CONSTRUCTS = {
    "loop": (ast.For, ast.While),
    "conditional": (ast.If, ast.IfExp),
    "comprehension": (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp),
    "indexing": (ast.Subscript,),
    "helper function": (ast.FunctionDef, ast.Lambda),
}


def main() -> int:
    files = sorted(SOLUTIONS.glob("*.py"))
    uses, constructs, numpy_calls, lines = Counter(), Counter(), Counter(), []
    for path in files:
        tree = ast.parse(path.read_text())
        names = {n.func.id for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)}
        uses.update(names & set(PRIMITIVES))
        numpy_calls.update({n.func.attr for n in ast.walk(tree) if isinstance(n, ast.Call)
                            and isinstance(n.func, ast.Attribute) and isinstance(n.func.value, ast.Name)
                            and n.func.value.id == "np"})
        task = next(n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "task")
        for kind, types in CONSTRUCTS.items():
            found = any(isinstance(n, types) for n in ast.walk(task) if n is not task)
            constructs[kind] += found
        body = ast.get_source_segment(path.read_text(), task).splitlines()
        lines.append(sum(1 for line in body[1:] if line.strip() and not line.strip().startswith("#")))
    n = len(files)
    unused = sorted(set(PRIMITIVES) - set(uses))
    summary = {"solutions": n, "primitive_uses": dict(uses.most_common()), "unused_primitives": unused,
               "constructs": dict(constructs), "numpy_calls": dict(numpy_calls.most_common(20)),
               "lines": {"median": statistics.median(lines), "mean": round(statistics.mean(lines), 1),
                         "max": max(lines)}}
    out = ROOT / "benchmarks" / "results"
    write_text_atomic(out / "arc_solutions.json", json.dumps(summary, indent=1))
    md = [f"# Hand-written ARC-AGI-1 training solutions: {n} tasks", "", "`python benchmarks/arc_solutions.py`", "",
          f"Lines per solution (body of `task`): median {summary['lines']['median']}, mean "
          f"{summary['lines']['mean']}, max {summary['lines']['max']}.", "",
          "| construct | solutions using it |", "|---|---|"]
    md += [f"| {k} | {v} ({100 * v / n:.0f} %) |" for k, v in constructs.items()]
    md += ["", "| primitive | solutions calling it |", "|---|---|"]
    md += [f"| `{k}` | {v} |" for k, v in uses.most_common()]
    md += ["", f"Primitives no solution calls: {', '.join(f'`{u}`' for u in unused) or 'none'}.", "",
           "Most used numpy functions: " + ", ".join(f"`np.{k}` {v}" for k, v in numpy_calls.most_common(12)) + "."]
    write_text_atomic(out / "arc_solutions.md", "\n".join(md) + "\n")
    print("\n".join(md))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
