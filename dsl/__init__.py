"""A tiny drawing DSL for ARC-style grids (numpy only; knows nothing about models).

See :mod:`dsl.primitives` for the primitives and :mod:`dsl.sampler` for the random program sampler
that produces pretraining data.
"""

from dsl.primitives import (
    DRAW_PRIMITIVES,
    MAX_SIDE,
    PRIMITIVES,
    create_img,
    draw_horizontal_line,
    draw_line,
    draw_pixel,
    draw_rectangle,
    draw_vertical_line,
)
from dsl.sampler import SampledTask, SamplerConfig, sample_task

__all__ = [
    "DRAW_PRIMITIVES",
    "MAX_SIDE",
    "PRIMITIVES",
    "SampledTask",
    "SamplerConfig",
    "create_img",
    "draw_horizontal_line",
    "draw_line",
    "draw_pixel",
    "draw_rectangle",
    "draw_vertical_line",
    "sample_task",
]
