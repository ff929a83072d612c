"""The search: sample programs, run them, relabel what they produced, learn from it, repeat."""

from her_arc.search.loop import SearchConfig, SearchResult, solve_task

__all__ = ["SearchConfig", "SearchResult", "solve_task"]
