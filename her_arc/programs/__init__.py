"""Program tools: from completions to clean, verified programs (:mod:`~her_arc.programs.simplify`), straight-line
program surgery (:mod:`~her_arc.programs.edit`) and the dihedral views a task is asked in
(:mod:`~her_arc.programs.views`)."""

from her_arc.programs.simplify import (
    canonicalize,
    deduplicate,
    extract_program,
    nondeterministic,
    output_fingerprint,
    program_from_completion,
    simplify,
    simplify_many,
)

__all__ = [
    "canonicalize",
    "deduplicate",
    "extract_program",
    "nondeterministic",
    "output_fingerprint",
    "program_from_completion",
    "simplify",
    "simplify_many",
]
