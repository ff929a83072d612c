"""``her-arc bench BENCHMARK``: run a benchmark and write its table, JSON and plots.

Only ``squares`` (the square-count scaling benchmark, :mod:`her_arc.benchmark`) lives in the
package; the executor and sampler benchmarks are scripts in the checkout's ``benchmarks/``.
"""

from __future__ import annotations

import argparse
import sys


def configure(parser: argparse.ArgumentParser) -> None:
    from her_arc import benchmark

    sub = parser.add_subparsers(dest="benchmark", title="benchmarks", metavar="BENCHMARK")
    squares = sub.add_parser(
        "squares", help="search cost against the number of squares (squares-9 .. squares-100), beside the reference",
        description=benchmark.__doc__.split("\n\n")[0],
    )
    benchmark.configure(squares)


def run(args: argparse.Namespace) -> int:
    if args.benchmark is None:
        print("her-arc bench: error: name a benchmark: squares (see 'her-arc bench squares --help')", file=sys.stderr)
        return 2
    from her_arc import benchmark

    return benchmark.run(args, prog="her-arc bench squares")
