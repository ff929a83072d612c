"""The bundled task suites as ARC-format JSON files; installed as the package ``her_arc.bundled_tasks``.

Load them by name with ``her_arc.tasks.load_task("squares-25")``; regenerate them with
``python tasks/generate.py``.
"""
