"""``python -m her_arc.cli``: the same as the ``her-arc`` console script."""

from her_arc.cli import main

raise SystemExit(main())
