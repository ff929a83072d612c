"""Program tools: from completions to clean, verified programs (:mod:`~her_arc.programs.simplify`), straight-line
program surgery (:mod:`~her_arc.programs.edit`) and the dihedral views a task is asked in
(:mod:`~her_arc.programs.views`)."""

from her_arc.programs.simplify import *  # noqa: F403 - the package's surface is simplify's
from her_arc.programs.simplify import __all__  # noqa: F401
