"""Random ARC-like input grids (numpy only), drawn from an ``np.random.Generator``.

Kinds (:data:`KINDS`): ``objects`` (rectangles, blobs, lines, 1-4 colour sprites on a background), ``noise``
(scattered cells, sometimes over objects), ``cells`` (a grid split by separator lines, content in the cells),
``tiling`` (a periodic motif, sometimes with holes) and ``symmetric`` (a mirror-symmetric picture, sometimes with
a hole). :func:`sample_inputs` draws ``k`` grids of one kind in one :class:`InputStyle` (same background and
palette, similar sizes), or ``like`` a list of real grids: those grids perturbed (one recolouring and one
dihedral view for the whole set, then per grid a crop, an object added or removed).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

__all__ = ["KINDS", "InputStyle", "perturb_like", "random_input", "random_style", "sample_inputs", "style_of"]

KINDS = ("objects", "noise", "cells", "tiling", "symmetric")
KIND_WEIGHTS = (0.45, 0.1, 0.15, 0.12, 0.18)
MIN_SIDE, MAX_SIDE = 3, 30


@dataclass(frozen=True)
class InputStyle:
    """What the grids of one set share."""

    kind: str
    """one of :data:`KINDS`"""
    bg: int
    """background colour"""
    palette: tuple[int, ...]
    """foreground colours (1-4, never ``bg``)"""
    height: int
    """typical number of rows"""
    width: int
    """typical number of columns"""
    same_shape: bool
    """every grid of the set has exactly ``height`` x ``width``"""
    density: float
    """how full the grids are (0-1: objects per area, noise share)"""


def _side(rng: np.random.Generator, lo: int = MIN_SIDE, hi: int = MAX_SIDE) -> int:
    # ARC sides: median about 10, rarely 30; a skewed draw.
    return int(np.clip(round(lo + (hi - lo) * rng.beta(1.6, 3.2)), lo, hi))


def random_style(rng: np.random.Generator, kind: str | None = None, bg: int | None = None,
                 palette: tuple[int, ...] | None = None) -> InputStyle:
    """A random style; ``kind``, ``bg`` and ``palette`` fixed when given."""
    if kind is None:
        kind = KINDS[int(rng.choice(len(KINDS), p=KIND_WEIGHTS))]
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, got {kind!r}")
    if bg is None:
        bg = 0 if rng.random() < 0.75 else int(rng.integers(10))
    if palette is None:
        others = [c for c in range(10) if c != bg]
        n = int(rng.choice([1, 2, 3, 4], p=[0.3, 0.35, 0.2, 0.15]))
        palette = tuple(int(c) for c in rng.choice(others, size=n, replace=False))
    palette = tuple(c for c in palette if c != bg) or (1 if bg != 1 else 2,)
    h, w = _side(rng), _side(rng)
    if rng.random() < 0.4:
        w = h
    return InputStyle(kind, int(bg), palette, h, w, bool(rng.random() < 0.45), float(rng.uniform(0.1, 0.5)))


def style_of(grids: list[np.ndarray], rng: np.random.Generator, kind: str | None = None) -> InputStyle:
    """A style that matches real ``grids``: their background, colours and median shape."""
    counts = np.zeros(10, dtype=np.int64)
    for g in grids:
        counts += np.bincount(np.asarray(g).ravel().astype(np.int64), minlength=10)[:10]
    bg = int(np.argmax(counts))
    fg = tuple(int(c) for c in np.argsort(-counts, kind="stable") if counts[c] > 0 and c != bg)[:4]
    style = random_style(rng, kind, bg, fg or None)
    h = int(np.median([g.shape[0] for g in grids]))
    w = int(np.median([g.shape[1] for g in grids]))
    same = len({g.shape for g in grids}) == 1
    return replace(style, height=max(MIN_SIDE, h), width=max(MIN_SIDE, w), same_shape=same)


# -- shapes ------------------------------------------------------------------------------------------------


def _blob(rng: np.random.Generator, h: int, w: int) -> np.ndarray:
    """A 4-connected random mask inside h x w (grown from one cell)."""
    mask = np.zeros((h, w), dtype=bool)
    r, c = int(rng.integers(h)), int(rng.integers(w))
    mask[r, c] = True
    target = max(1, int(rng.uniform(0.35, 0.9) * h * w))
    cells = [(r, c)]
    for _ in range(target * 4):
        if mask.sum() >= target:
            break
        r, c = cells[int(rng.integers(len(cells)))]
        dr, dc = ((1, 0), (-1, 0), (0, 1), (0, -1))[int(rng.integers(4))]
        r, c = r + dr, c + dc
        if 0 <= r < h and 0 <= c < w and not mask[r, c]:
            mask[r, c] = True
            cells.append((r, c))
    return mask


def _shape(rng: np.random.Generator, palette: tuple[int, ...], max_side: int, bg: int) -> np.ndarray:
    """One object as a sprite: cells of ``bg`` are transparent."""
    kind = ("rect", "hollow", "blob", "blob", "line", "sprite", "pixel")[int(rng.integers(7))]
    color = palette[int(rng.integers(len(palette)))]
    hi = max(1, min(max_side, 6))
    h, w = int(rng.integers(1, hi + 1)), int(rng.integers(1, hi + 1))
    if kind == "pixel":
        return np.full((1, 1), color, dtype=np.int8)
    if kind == "line":
        n = int(rng.integers(2, max(3, min(max_side, 10)) + 1))
        o = int(rng.integers(3))
        if o == 0:
            return np.full((1, n), color, dtype=np.int8)
        if o == 1:
            return np.full((n, 1), color, dtype=np.int8)
        n = min(n, max_side)
        s = np.full((n, n), bg, dtype=np.int8)
        np.fill_diagonal(s, color)
        return s if rng.random() < 0.5 else s[:, ::-1].copy()
    s = np.full((h, w), bg, dtype=np.int8)
    if kind == "rect":
        s[:] = color
    elif kind == "hollow":
        h, w = max(h, 3), max(w, 3)
        s = np.full((h, w), color, dtype=np.int8)
        s[1:-1, 1:-1] = bg
    elif kind == "blob":
        s[_blob(rng, h, w)] = color
    else:  # sprite of 1-4 colours
        h, w = max(h, 2), max(w, 2)
        cols = rng.choice(palette, size=min(len(palette), int(rng.integers(1, 5))), replace=False)
        mask = _blob(rng, h, w)
        s = np.where(mask, rng.choice(cols, size=(h, w)), bg).astype(np.int8)
    return s


def _place(rng: np.random.Generator, grid: np.ndarray, sprite: np.ndarray, bg: int, gap: int, tries: int = 20) -> bool:
    """Paste ``sprite`` (bg = transparent) where its cells (plus ``gap``) cover only background."""
    gh, gw = grid.shape
    sh, sw = sprite.shape
    if sh > gh or sw > gw:
        return False
    solid = sprite != bg
    for _ in range(tries):
        r, c = int(rng.integers(gh - sh + 1)), int(rng.integers(gw - sw + 1))
        r0, c0 = max(0, r - gap), max(0, c - gap)
        if np.all(grid[r0 : r + sh + gap, c0 : c + sw + gap] == bg):
            view = grid[r : r + sh, c : c + sw]
            view[solid] = sprite[solid]
            return True
    return False


# -- kinds -------------------------------------------------------------------------------------------------


def _objects(rng, style: InputStyle, h: int, w: int, grid: np.ndarray | None = None) -> np.ndarray:
    g = np.full((h, w), style.bg, dtype=np.int8) if grid is None else grid
    n = max(1, int(round(style.density * h * w / 12 * rng.uniform(0.5, 1.5))))
    n = min(n, 12)
    gap = int(rng.random() < 0.8)
    for _ in range(n):
        _place(rng, g, _shape(rng, style.palette, max(1, min(h, w) // 2 + 1), style.bg), style.bg, gap)
    if np.all(g == style.bg):  # at least one cell of content
        g[int(rng.integers(h)), int(rng.integers(w))] = style.palette[0]
    return g


def _noise(rng, style: InputStyle, h: int, w: int) -> np.ndarray:
    g = _objects(rng, style, h, w) if rng.random() < 0.3 else np.full((h, w), style.bg, dtype=np.int8)
    mask = rng.random((h, w)) < style.density * 0.8
    g[mask] = rng.choice(style.palette, size=int(mask.sum()))
    return g


def _cells(rng, style: InputStyle, h: int, w: int) -> np.ndarray:
    sep = style.palette[-1] if len(style.palette) > 1 and rng.random() < 0.8 else next(
        c for c in range(10) if c != style.bg and c not in style.palette[:1])
    inner = tuple(c for c in style.palette if c != sep) or (style.palette[0],)
    ch = int(rng.integers(1, 6))
    cw = ch if rng.random() < 0.6 else int(rng.integers(1, 6))
    nr = max(2, min((h + 1) // (ch + 1), 6))
    nc = max(2, min((w + 1) // (cw + 1), 6))
    H, W = nr * ch + nr - 1, nc * cw + nc - 1
    g = np.full((H, W), style.bg, dtype=np.int8)
    for i in range(1, nr):
        g[i * (ch + 1) - 1, :] = sep
    for j in range(1, nc):
        g[:, j * (cw + 1) - 1] = sep
    for i in range(nr):
        for j in range(nc):
            if rng.random() < style.density + 0.2:
                view = g[i * (ch + 1) : i * (ch + 1) + ch, j * (cw + 1) : j * (cw + 1) + cw]
                if rng.random() < 0.5:
                    m = rng.random(view.shape) < 0.5
                    view[m] = rng.choice(inner, size=int(m.sum()))
                else:
                    _place(rng, view, _shape(rng, inner, max(ch, cw), style.bg), style.bg, 0, tries=5)
    return g


def _tiling(rng, style: InputStyle, h: int, w: int) -> np.ndarray:
    ph, pw = int(rng.integers(1, 5)), int(rng.integers(1, 5))
    if ph * pw == 1:
        pw = 2
    colors = (style.bg, *style.palette)
    motif = rng.choice(colors, size=(ph, pw)).astype(np.int8)
    if len(np.unique(motif)) == 1:
        motif[0, 0] = style.palette[0] if motif[0, 0] != style.palette[0] else style.bg
    g = np.tile(motif, (h // ph + 1, w // pw + 1))[:h, :w].copy()
    if rng.random() < 0.5:  # holes
        hole = 0 if style.bg != 0 and 0 not in style.palette else next(c for c in range(10) if c not in colors)
        for _ in range(int(rng.integers(1, 4))):
            rh, rw = int(rng.integers(1, max(2, h // 3))), int(rng.integers(1, max(2, w // 3)))
            r, c = int(rng.integers(h - rh + 1)), int(rng.integers(w - rw + 1))
            g[r : r + rh, c : c + rw] = hole
    return g


def _symmetric(rng, style: InputStyle, h: int, w: int) -> np.ndarray:
    axes = ("lr", "ud", "both", "rot180", "diag")[int(rng.integers(5))]
    if axes == "diag":
        w = h
    base = _noise(rng, style, h, w) if rng.random() < 0.5 else _objects(rng, style, h, w)
    if axes in ("lr", "both"):
        base = np.where(np.arange(w)[None, :] < (w + 1) // 2, base, base[:, ::-1])
    if axes in ("ud", "both"):
        base = np.where(np.arange(h)[:, None] < (h + 1) // 2, base, base[::-1, :])
    if axes == "rot180":
        top = np.arange(h)[:, None] * w + np.arange(w)[None, :] < (h * w + 1) // 2
        base = np.where(top, base, base[::-1, ::-1])
    if axes == "diag":
        base = np.where(np.triu(np.ones((h, w), dtype=bool)), base, base.T)
    g = np.ascontiguousarray(base, dtype=np.int8)
    if rng.random() < 0.5 and min(h, w) >= 4:  # a hole to complete
        used = set(np.unique(g).tolist())
        hole = next((c for c in (0, *range(1, 10)) if c not in used), style.bg)
        rh, rw = int(rng.integers(1, max(2, h // 3))), int(rng.integers(1, max(2, w // 3)))
        r, c = int(rng.integers(h - rh + 1)), int(rng.integers(w - rw + 1))
        g[r : r + rh, c : c + rw] = hole
    return g


_KIND_FUNCS = {"objects": _objects, "noise": _noise, "cells": _cells, "tiling": _tiling, "symmetric": _symmetric}


def random_input(rng: np.random.Generator, style: InputStyle | None = None) -> np.ndarray:
    """One grid (int8, sides 3-30) in ``style`` (default: a random style)."""
    style = style or random_style(rng)
    if style.same_shape:
        h, w = style.height, style.width
    else:
        h = int(np.clip(style.height + rng.integers(-3, 4), MIN_SIDE, MAX_SIDE))
        w = int(np.clip(style.width + rng.integers(-3, 4), MIN_SIDE, MAX_SIDE))
    g = _KIND_FUNCS[style.kind](rng, style, h, w)
    return np.ascontiguousarray(g[:MAX_SIDE, :MAX_SIDE], dtype=np.int8)


# -- perturbing real grids ---------------------------------------------------------------------------------


def _components(g: np.ndarray, bg: int) -> list[np.ndarray]:
    from scipy import ndimage

    labels, n = ndimage.label(g != bg)
    return [labels == i for i in range(1, min(n, 40) + 1)]


def perturb_like(rng: np.random.Generator, like: list[np.ndarray], k: int) -> list[np.ndarray]:
    """Up to ``k`` distinct grids like ``like`` (fewer only when edits keep repeating): one colour permutation and
    one dihedral view for the set, then per grid (``like`` in order, then random ones) maybe a crop, an object
    removed, an object added in its colours."""
    like = [np.asarray(g, dtype=np.int8) for g in like]
    counts = np.zeros(10, dtype=np.int64)
    for g in like:
        counts += np.bincount(g.ravel().astype(np.int64), minlength=10)[:10]
    bg = int(np.argmax(counts))
    perm = np.arange(10, dtype=np.int8)
    if rng.random() < 0.5:  # permute the non-background colours among all non-background colours
        fg = np.array([c for c in range(10) if c != bg])
        perm[fg] = rng.permutation(fg)
    view = int(rng.integers(8)) if rng.random() < 0.5 else 0
    present = [c for c in range(10) if counts[c] > 0 and c != bg] or [1 if bg != 1 else 2]
    out: list[np.ndarray] = []
    seen: set[bytes] = set()
    for i in range(3 * k + 3):
        if len(out) == k:
            break
        g = like[int(rng.integers(len(like)))] if i >= len(like) else like[i]
        g = g.copy()
        h, w = g.shape
        edit = rng.random()
        if edit < 0.15 and h >= 6 and w >= 6:  # crop
            nh, nw = int(rng.integers(max(3, h // 2), h + 1)), int(rng.integers(max(3, w // 2), w + 1))
            r, c = int(rng.integers(h - nh + 1)), int(rng.integers(w - nw + 1))
            g = g[r : r + nh, c : c + nw].copy()
        elif edit < 0.4:  # remove an object
            comps = _components(g, bg)
            if len(comps) > 1:
                g[comps[int(rng.integers(len(comps)))]] = bg
        elif edit < 0.65:  # add an object
            style = InputStyle("objects", bg, tuple(present), h, w, True, 0.2)
            _place(rng, g, _shape(rng, style.palette, max(1, min(h, w) // 3), bg), bg, 1)
        g = perm[g]
        if view & 4:
            g = g.T
        g = np.ascontiguousarray(np.rot90(g, view & 3), dtype=np.int8)
        key = g.shape[0].to_bytes(1, "little") + g.tobytes()
        if key not in seen:
            seen.add(key)
            out.append(g)
    return out


def sample_inputs(rng: np.random.Generator, k: int, kind: str | None = None, like: list[np.ndarray] | None = None,
                  style: InputStyle | None = None) -> list[np.ndarray]:
    """``k`` distinct grids of one kind and style; with ``like``, perturbed copies of those grids instead (up to
    ``k``: see :func:`perturb_like`).

    ``style`` (from :func:`random_style` or :func:`style_of`) fixes kind, background, palette and size; default:
    a random style of ``kind`` (None: a random kind).
    """
    if k < 1:
        raise ValueError(f"k must be at least 1, got {k}")
    if like is not None:
        if not len(like):
            raise ValueError("like must hold at least one grid")
        return perturb_like(rng, list(like), k)
    style = style or random_style(rng, kind)
    grids: list[np.ndarray] = []
    seen: set[bytes] = set()
    for _ in range(4 * k):
        g = random_input(rng, style)
        key = g.shape[0].to_bytes(1, "little") + g.tobytes()
        if key not in seen:
            seen.add(key)
            grids.append(g)
        if len(grids) == k:
            break
    while len(grids) < k:  # tiny styles can repeat: vary the size
        grids.append(random_input(rng, replace(style, same_shape=False)))
    return grids
