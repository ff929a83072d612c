"""Layers L1 and L2 of the sandbox: the static allow-list check and the program namespace.

Runs inside the worker processes (so the check is parallel and never in the trusted parent), but is
plain Python without side effects, so the parent and the tests can import it too.

What a program may use (everything else is ``rejected`` before it runs):

* statements: ``def`` (plain functions, also nested helpers and lambdas), assignments (also augmented,
  annotated and ``:=``), ``for``/``while`` with ``break``/``continue``/``else``, ``if``, ``return``,
  ``pass``, ``assert``, ``raise``, ``del`` of names and subscripts, ``try``/``except`` with a named
  exception type (no bare ``except:``, no ``except BaseException``, no ``finally``, no ``except*``),
  and the imports below. Not allowed: ``class``, ``with``, ``match``, ``global``/``nonlocal``,
  ``yield``, ``async``/``await``.
* expressions: arithmetic, comparisons, boolean logic, conditional expressions, comprehensions and
  generator expressions, f-strings, literals, subscripts and slices, calls, attribute reads.
* names: the DSL primitives (``dsl.PRIMITIVES``), ``np`` (a read-only copy of numpy's public
  functions, types and constants: no submodules, no file I/O, no global-state setters such as
  ``np.seterr``), and the builtins in :data:`SAFE_BUILTIN_NAMES`. ``print`` is a no-op.
* imports: ``numpy`` (the same curated ``np``), ``math``, ``itertools``, a few names of
  ``collections``, ``functools``, ``copy`` and ``typing``, and ``dsl``/``dsl.primitives``
  (``from dsl import *`` works). Randomness (``random``, ``np.random``), time, files, processes,
  introspection (``getattr``, ``type``, ``globals``, dunder attributes, frames) are out.
* mutation of shared state: no attribute assignment or deletion at all, and no subscript assignment
  into a module (``np.typecodes['x'] = ...``), so one program cannot change what the next one sees.

This is a best-effort language filter, not a security boundary by itself: the OS layers in
``_hardening`` (seccomp, landlock, rlimits) are what hold if it has a hole.
"""

from __future__ import annotations

import ast
import collections
import copy
import functools
import itertools
import math
import types
import typing

import numpy as np

MAX_SOURCE_CHARS = 20_000
MAX_SOURCE_LINES = 2_000

SAFE_BUILTIN_NAMES = (
    "abs all any bool dict divmod enumerate filter float frozenset int isinstance issubclass iter len "
    "list map max min next pow range reversed round set slice sorted str sum tuple zip hash ord chr bin "
    "hex oct callable repr complex bytes "
    # ordinary exceptions (never BaseException, SystemExit, KeyboardInterrupt, GeneratorExit)
    "Exception ArithmeticError AssertionError AttributeError IndexError KeyError LookupError NameError "
    "NotImplementedError OverflowError RuntimeError StopIteration TypeError ValueError ZeroDivisionError "
    "UnboundLocalError RecursionError MemoryError FloatingPointError "
    "NotImplemented Ellipsis"
).split()

FORBIDDEN_NAMES = frozenset(
    "eval exec compile open input __import__ globals locals vars getattr setattr delattr hasattr "
    "breakpoint help exit quit memoryview type object super dir id classmethod staticmethod property "
    "BaseException SystemExit KeyboardInterrupt GeneratorExit BaseExceptionGroup ExceptionGroup "
    "print_function builtins".split()
)

# Attribute names that reach files, processes, introspection, or global state; plus any name starting
# with "_" (dunders, private module internals).
FORBIDDEN_ATTRS = frozenset(
    "tofile dump dumps load loads save savez savez_compressed savetxt loadtxt genfromtxt fromfile "
    "fromregex memmap ctypes ctypeslib lib f2py distutils testing os sys path DataSource format "
    "format_map mro gi_frame gi_code gi_yieldfrom gi_running f_globals f_locals f_back f_builtins f_code "
    "cr_frame cr_code cr_await tb_frame tb_next ag_frame ag_code random builtins eval exec compile "
    "getattr setattr delattr globals locals vars open system popen subprocess importlib inspect "
    "operator attrgetter methodcaller seterr seterrcall set_printoptions setbufsize printoptions "
    "errstate info show_config show_runtime test add_newdoc add_docstring sctypeDict typecodes "
    "register_at_fork setflags".split()
)

ALLOWED_NODES = frozenset(
    {
        ast.Module,
        # statements
        ast.FunctionDef, ast.Return, ast.Delete, ast.Assign, ast.AugAssign, ast.AnnAssign, ast.For,
        ast.While, ast.If, ast.Raise, ast.Try, ast.Assert, ast.Import, ast.ImportFrom, ast.Expr,
        ast.Pass, ast.Break, ast.Continue,
        # expressions
        ast.BoolOp, ast.NamedExpr, ast.BinOp, ast.UnaryOp, ast.Lambda, ast.IfExp, ast.Dict, ast.Set,
        ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp, ast.Compare, ast.Call,
        ast.FormattedValue, ast.JoinedStr, ast.Constant, ast.Attribute, ast.Subscript, ast.Starred,
        ast.Name, ast.List, ast.Tuple, ast.Slice,
        # helpers
        ast.Load, ast.Store, ast.Del, ast.And, ast.Or, ast.Add, ast.Sub, ast.Mult, ast.MatMult, ast.Div,
        ast.Mod, ast.Pow, ast.LShift, ast.RShift, ast.BitOr, ast.BitXor, ast.BitAnd, ast.FloorDiv,
        ast.Invert, ast.Not, ast.UAdd, ast.USub, ast.Eq, ast.NotEq, ast.Lt, ast.LtE, ast.Gt, ast.GtE,
        ast.Is, ast.IsNot, ast.In, ast.NotIn, ast.comprehension, ast.ExceptHandler, ast.arguments,
        ast.arg, ast.keyword, ast.alias,
    }
)  # fmt: skip

# What `import X` / `from X import y` may name, and which objects they give.
_TYPING_NAMES = "Any Callable Dict FrozenSet Iterable Iterator List Optional Sequence Set Tuple Union".split()


class Rejected(Exception):
    """The program failed the static check (status ``rejected``)."""


class ReadOnlyNamespace(types.SimpleNamespace):
    """A module stand-in whose attributes cannot be rebound or deleted."""

    def __setattr__(self, name, value):
        raise AttributeError("read-only namespace")

    def __delattr__(self, name):
        raise AttributeError("read-only namespace")


def _public(module, names=None) -> dict:
    """Public, non-module attributes of ``module`` (read from ``vars`` so lazy submodules stay unloaded)."""
    items = vars(module).items() if names is None else ((n, getattr(module, n)) for n in names)
    return {
        name: value
        for name, value in items
        if not name.startswith("_")
        and not isinstance(value, types.ModuleType)
        and name not in FORBIDDEN_ATTRS
    }


def _build_modules(primitives: dict) -> dict[str, ReadOnlyNamespace]:
    dsl_ns = dict(primitives)
    modules = {
        "numpy": ReadOnlyNamespace(**_public(np)),
        "math": ReadOnlyNamespace(**_public(math)),
        "itertools": ReadOnlyNamespace(**_public(itertools)),
        "collections": ReadOnlyNamespace(
            **_public(collections, ["deque", "defaultdict", "Counter", "OrderedDict", "ChainMap"])
        ),
        "functools": ReadOnlyNamespace(
            **_public(functools, ["reduce", "partial", "lru_cache", "cache", "cmp_to_key"])
        ),
        "copy": ReadOnlyNamespace(**_public(copy, ["copy", "deepcopy"])),
        "typing": ReadOnlyNamespace(**_public(typing, _TYPING_NAMES)),
    }
    dsl = ReadOnlyNamespace(**dsl_ns)
    modules["dsl"] = ReadOnlyNamespace(**dsl_ns, primitives=dsl)
    modules["dsl.primitives"] = dsl
    return modules


ALLOWED_IMPORTS = frozenset(
    {"numpy", "math", "itertools", "collections", "functools", "copy", "typing", "dsl"}
)
ALLOWED_FROM_IMPORTS = ALLOWED_IMPORTS | {"dsl.primitives"}
STAR_IMPORTS = frozenset({"dsl", "dsl.primitives"})


def check_source(source: str) -> ast.Module:
    """Parse ``source`` and apply the allow-list; return the tree or raise :class:`Rejected`."""
    if not isinstance(source, str):
        raise Rejected(f"program must be a str, got {type(source).__name__}")
    if len(source) > MAX_SOURCE_CHARS:
        raise Rejected(f"source longer than {MAX_SOURCE_CHARS} characters")
    if source.count("\n") > MAX_SOURCE_LINES:
        raise Rejected(f"source longer than {MAX_SOURCE_LINES} lines")
    try:
        tree = ast.parse(source, "<program>", "exec")
    except (SyntaxError, ValueError, MemoryError, RecursionError, OverflowError) as exc:
        raise Rejected(f"{type(exc).__name__}: {exc}") from None
    _check_tree(tree)
    return tree


def _root_name(node: ast.AST) -> str | None:
    while isinstance(node, (ast.Attribute, ast.Subscript)):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


def _check_name(name: str | None, what: str) -> None:
    if name is None:
        return
    if name.startswith("__") or name in FORBIDDEN_NAMES:
        raise Rejected(f"forbidden {what} {name!r}")


_SKIP_FIELDS = frozenset({"ctx", "op", "ops", "type_comment", "kind", "type_ignores"})
_CHILD_FIELDS = {kind: tuple(f for f in kind._fields if f not in _SKIP_FIELDS) for kind in ALLOWED_NODES}
_DEFAULT_MODULE_ALIASES = frozenset(ALLOWED_IMPORTS | {"np"})


def _check_tree(tree: ast.Module) -> None:
    if not any(isinstance(node, ast.FunctionDef) and node.name == "task" for node in tree.body):
        raise Rejected("no top-level 'def task'")
    module_aliases = set(_DEFAULT_MODULE_ALIASES)
    store_roots: list[str | None] = []
    stack: list[ast.AST] = [tree]  # iterative walk: deep trees cannot exhaust the C stack here
    pop, push, node_type, Load = stack.pop, stack.append, ast.AST, ast.Load
    while stack:
        node = pop()
        kind = type(node)
        fields = _CHILD_FIELDS.get(kind)
        if fields is None:
            raise Rejected(f"{kind.__name__} is not allowed")
        if kind is ast.Name:
            if node.id.startswith("__") or node.id in FORBIDDEN_NAMES:
                raise Rejected(f"forbidden name {node.id!r}")
            continue
        if kind is ast.Constant:
            continue
        if kind is ast.Attribute:
            if node.attr.startswith("_") or node.attr in FORBIDDEN_ATTRS:
                raise Rejected(f"forbidden attribute {node.attr!r}")
            if type(node.ctx) is not Load:
                raise Rejected("assigning or deleting attributes is not allowed")
        elif kind is ast.Subscript:
            if type(node.ctx) is not Load:
                store_roots.append(_root_name(node))
        elif kind is ast.FunctionDef:
            _check_name(node.name, "function name")
            if node.decorator_list:
                raise Rejected("decorators are not allowed")
        elif kind is ast.arg:
            _check_name(node.arg, "argument name")
        elif kind is ast.keyword:
            _check_name(node.arg, "keyword")
        elif kind is ast.Try:
            if node.finalbody:
                raise Rejected("'finally' is not allowed")
        elif kind is ast.ExceptHandler:
            if node.type is None:
                raise Rejected("bare 'except:' is not allowed")
            _check_name(node.name, "name")
            for sub in ast.walk(node.type):
                if not isinstance(sub, (ast.Name, ast.Attribute, ast.Tuple, ast.Load)):
                    raise Rejected("an exception handler must name exception classes")
        elif kind is ast.Import:
            for alias in node.names:
                if alias.name not in ALLOWED_IMPORTS:
                    raise Rejected(f"import of {alias.name!r} is not allowed")
                _check_name(alias.asname, "name")
                module_aliases.add(alias.asname or alias.name)
        elif kind is ast.ImportFrom:
            if node.level or node.module not in ALLOWED_FROM_IMPORTS:
                raise Rejected(f"import from {node.module!r} is not allowed")
            for alias in node.names:
                if alias.name == "*":
                    if node.module not in STAR_IMPORTS:
                        raise Rejected(f"'from {node.module} import *' is not allowed")
                    continue
                if (
                    alias.name.startswith("_")
                    or alias.name in FORBIDDEN_ATTRS
                    or alias.name in FORBIDDEN_NAMES
                ):
                    raise Rejected(f"import of {alias.name!r} is not allowed")
                _check_name(alias.asname, "name")
                module_aliases.add(alias.asname or alias.name)
        for name in fields:
            value = getattr(node, name)
            if type(value) is list:
                for item in value:
                    if isinstance(item, node_type):
                        push(item)
            elif isinstance(value, node_type):
                push(value)
    if any(root in module_aliases for root in store_roots):
        raise Rejected("assigning into a module is not allowed")


def _noop_print(*args, **kwargs) -> None:
    return None


class Namespace:
    """Builds the fresh globals dict each program runs in (L2: restricted builtins)."""

    def __init__(self, primitives: dict):
        self.modules = _build_modules(primitives)
        import builtins

        safe = {name: getattr(builtins, name) for name in SAFE_BUILTIN_NAMES}
        safe["print"] = _noop_print
        safe["__import__"] = self._import
        safe["True"], safe["False"], safe["None"] = True, False, None
        self.builtins = safe
        self.base = {"__name__": "sandboxed", "np": self.modules["numpy"], **primitives}

    def _import(self, name, globals=None, locals=None, fromlist=(), level=0):  # noqa: A002
        if level:
            raise ImportError("relative imports are not allowed")
        if fromlist:
            module = self.modules.get(name) if name in ALLOWED_FROM_IMPORTS else None
        else:
            module = self.modules.get(name) if name in ALLOWED_IMPORTS else None
        if module is None:
            raise ImportError(f"import of {name!r} is not allowed")
        return module

    def fresh_globals(self) -> dict:
        g = dict(self.base)
        g["__builtins__"] = dict(self.builtins)
        return g
