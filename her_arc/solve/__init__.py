"""Many tasks at once: ``her-arc solve`` over a split, a directory or a list, in parallel, resumable.

    from her_arc.solve import SolveConfig, solve_tasks

    result = solve_tasks(["arc1-eval"], SolveConfig(out="out/eval", workers=2, limit=20))
"""

from her_arc.solve.config import LearnMode, SolveConfig
from her_arc.solve.run import SolveResult, solve_tasks

__all__ = ["LearnMode", "SolveConfig", "SolveResult", "solve_tasks"]
