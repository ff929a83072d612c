"""Experiment drivers over the library: painter evaluation, pretraining and benchmarks (no argparse here: the CLI
in :mod:`her_arc.cli` wraps them)."""
