"""Command-line flags generated from config dataclasses: each knob is written once, as a field with a docstring.

A field becomes ``--<prefix><name>`` (underscores as dashes) with its type, default and choices, and its attribute
docstring as the help text; a nested dataclass field adds its own fields under ``metadata["prefix"]``. Field
metadata may set ``flag`` (the flag's name), ``metavar``, ``choices``, or ``cli=False`` (settable from Python only).
Booleans get ``--x/--no-x``. :func:`config_from_args` builds the dataclasses back, and a
:class:`~her_arc.errors.ConfigError` comes back naming the flag instead of the Python field.

Why not tyro (CleanRL's choice)? Its nested flags read ``--refine.canvases``, it owns the whole parser (ours is one
subcommand of an argparse dispatcher that must stay import-light for ``--help``), and it would be one more
dependency for what fits in one screen here.
"""

from __future__ import annotations

import argparse
import ast
import dataclasses
import inspect
import textwrap
import types
import typing
from enum import Enum
from functools import cache

from her_arc.errors import ConfigError


@cache
def field_docs(cls) -> dict[str, str]:
    """The attribute docstrings of a dataclass (the string literal right after each field)."""
    docs: dict[str, str] = {}
    for klass in reversed(cls.__mro__):
        if not dataclasses.is_dataclass(klass):
            continue
        tree = ast.parse(textwrap.dedent(inspect.getsource(klass)))
        body = tree.body[0].body
        for node, nxt in zip(body, body[1:], strict=False):
            if (isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and isinstance(nxt, ast.Expr)
                    and isinstance(nxt.value, ast.Constant) and isinstance(nxt.value.value, str)):
                docs[node.target.id] = " ".join(nxt.value.value.replace("``", "").split())
    return docs


@dataclasses.dataclass(frozen=True)
class Flag:
    path: tuple[str, ...]
    """the field's path from the root dataclass, e.g. ("refine", "canvases")"""
    name: str
    """the flag, e.g. "--refine" """
    dest: str


def _scalar(tp):
    """(type, optional) of a field annotation."""
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        return (args[0] if len(args) == 1 else None), True
    return tp, False


def add_flags(parser: argparse.ArgumentParser, cls, *, prefix: str = "", path: tuple[str, ...] = (),
              parse: dict | None = None, skip: frozenset = frozenset()) -> list[Flag]:
    """Add a flag per field of ``cls`` (recursively); ``parse`` maps a dotted path to a custom argument type,
    ``skip`` holds dotted paths left out. Returns the flags added."""
    parse = parse or {}
    hints = typing.get_type_hints(cls)
    docs = field_docs(cls)
    defaults = cls()
    added: list[Flag] = []
    for f in dataclasses.fields(cls):
        dotted = ".".join((*path, f.name))
        if not f.metadata.get("cli", True) or dotted in skip:
            continue
        tp, optional = _scalar(hints[f.name])
        if dataclasses.is_dataclass(tp):
            added += add_flags(parser, tp, prefix=prefix + f.metadata.get("prefix", f.name + "-"),
                               path=(*path, f.name), parse=parse, skip=skip)
            continue
        name = f.metadata.get("flag") or "--" + (prefix + f.name).replace("_", "-")
        dest = dotted.replace(".", "__")
        default = getattr(defaults, f.name)
        help_text = docs.get(f.name, "")
        kwargs: dict = {"dest": dest, "default": argparse.SUPPRESS}
        if tp is bool:
            kwargs["action"] = argparse.BooleanOptionalAction
            shown = "on" if default else "off"
        else:
            kind = parse.get(dotted) or (tp if tp in (int, float, str) else None)
            if isinstance(tp, type) and issubclass(tp, Enum):
                kind = str
            if typing.get_origin(tp) is typing.Literal:
                kind = str
                kwargs["choices"] = f.metadata.get("choices") or typing.get_args(tp)
            if kind is None:
                raise TypeError(f"{cls.__name__}.{f.name}: no flag type for {hints[f.name]}; give parse= or cli=False")
            kwargs["type"] = kind
            if "choices" in f.metadata:
                kwargs["choices"] = f.metadata["choices"]
            kwargs["metavar"] = None if "choices" in kwargs else f.metadata.get("metavar",
                                                                                 f.name.upper().split("_")[-1])
            shown = _shown(default)
        if (default is None and optional) or "default:" in help_text:
            kwargs["help"] = help_text
        else:
            kwargs["help"] = f"{help_text} (default: {shown})"
        parser.add_argument(name, **kwargs)
        added.append(Flag((*path, f.name), name, dest))
    return added


def _shown(value) -> str:
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, tuple) and value and all(isinstance(v, tuple) and len(v) == 2 for v in value):
        return ",".join(f"{n}@{t:g}" for n, t in value)
    if isinstance(value, tuple):
        return ",".join(map(str, value))
    return str(value)


def config_from_args(cls, args: argparse.Namespace, flags: list[Flag], **fixed):
    """``cls`` with the given flags' values over its defaults (``fixed``: top-level values set by the caller).

    A :class:`ConfigError` raised by a nested dataclass names its flag (see :func:`flag_error`)."""
    given = {flag.path: getattr(args, flag.dest) for flag in flags if hasattr(args, flag.dest)}
    return _build(cls, (), given, {flag.path: flag.name for flag in flags}, fixed)


def _build(cls, path, given, names, fixed):
    hints = typing.get_type_hints(cls)
    kwargs = dict(fixed) if not path else {}
    for f in dataclasses.fields(cls):
        tp, _ = _scalar(hints[f.name])
        here = (*path, f.name)
        if dataclasses.is_dataclass(tp):
            if any(p[: len(here)] == here for p in given):
                kwargs[f.name] = _build(tp, here, given, names, {})
        elif here in given:
            kwargs[f.name] = given[here]
    try:
        return cls(**kwargs)
    except ConfigError as exc:
        flag = names.get((*path, exc.parameter))
        raise ConfigError(flag or ".".join((*path, exc.parameter)), exc.problem) from None

