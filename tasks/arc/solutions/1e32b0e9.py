"""Complete the top-left cell's shape in every other cell of the grid, drawing the missing parts in the grid-line colour."""


def task(img):
    rows, cols = separators(img)
    sep = img[rows[0], 0]
    n = rows[0]
    tpl = img[:n, :n]
    out = copy(img)
    for r0 in [0] + [r + 1 for r in rows]:
        for c0 in [0] + [c + 1 for c in cols]:
            cell = img[r0:r0 + n, c0:c0 + n]
            out = blit(out, np.where((cell == 0) & (tpl != 0), sep, cell), (r0, c0))
    return out
