"""Complete the pattern with full mirror symmetry; a cell two steps right of a diagonal corner cell becomes a dotted line (every other cell) along that side."""


def task(img):
    axes = ['lr', 'ud', 'diag']
    g = symmetrize(img, axes)
    h, w = g.shape
    for r in range(h // 2):
        c = r + 2
        if g[r, r] != 0 and g[r, c] != 0:
            g[r, c:w - c:2] = g[r, c]
    return symmetrize(g, axes)
