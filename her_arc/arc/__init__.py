"""Real ARC-AGI tasks: data (:mod:`.data`), the ARC Prize metric (:mod:`.metric`), program checks (:mod:`.verify`).

Each module is imported on its own (``from her_arc.arc.data import load_arc_task``); this package imports nothing,
so ``her_arc.tasks.load_task("arc1-train/007bbfb7")`` pays only for the data module.
"""
