"""Remove each grey triangle beside the diagonal line and draw a parallel line two cells beyond the triangle's far edge."""


def task(img):
    g = img if len({c - r for r, c in zip(*np.nonzero((img != 0) & (img != 5)))}) == 1 else flip_lr(img)
    col = [c for c in colors(g) if c not in (0, 5)][0]
    d0 = cells_of_color(g, col)[0][1] - cells_of_color(g, col)[0][0]
    offs = [c - r for r, c in cells_of_color(g, 5)]
    out = replace(g, 5, 0)
    new = []
    if any(o > d0 for o in offs):
        new.append(max(offs) + 2)
    if any(o < d0 for o in offs):
        new.append(min(offs) - 2)
    h, w = g.shape
    for d in new:
        for r in range(h):
            if 0 <= r + d < w:
                out[r, r + d] = col
    return out if g is img else flip_lr(out)
