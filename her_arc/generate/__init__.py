"""Generated ARC-like training tasks: random inputs, programs mutated from the hand-written solutions, filters.

>>> from her_arc.generate import generate_tasks
>>> task = next(generate_tasks(seed=0))        # GeneratedTask(program, inputs, outputs, source, kind, ...)

:mod:`~her_arc.generate.inputs` draws input grids, :mod:`~her_arc.generate.mutate` makes programs,
:mod:`~her_arc.generate.tasks` runs them in the sandbox and keeps what passes the filters. The tasks of
``heldout_train_ids.txt`` (50 ARC-AGI-1 training ids) are held out by default.
"""

from her_arc.generate.inputs import KINDS, InputStyle, random_input, sample_inputs
from her_arc.generate.mutate import MUTATIONS, load_solutions, make_program
from her_arc.generate.tasks import FILTERS, GenerateConfig, GeneratedTask, generate_tasks, heldout_ids, to_datasets

__all__ = ["FILTERS", "KINDS", "MUTATIONS", "GenerateConfig", "GeneratedTask", "InputStyle", "generate_tasks",
           "heldout_ids", "load_solutions", "make_program", "random_input", "sample_inputs", "to_datasets"]
