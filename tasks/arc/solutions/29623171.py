"""Fill the grid cells holding the most coloured pixels with that colour and empty all other cells."""


def task(img):
    rows, cols = separators(img)
    rs = [0] + [r + 1 for r in rows]
    cs = [0] + [c + 1 for c in cols]
    n = rows[0]
    sep = img[rows[0], 0]
    cnt = {(r, c): np.count_nonzero(img[r:r + n, c:c + n]) for r in rs for c in cs}
    col = [v for v in colors(img) if v not in (0, sep)][0]
    out = copy(img)
    for (r, c), k in cnt.items():
        draw_rectangle(out, (r, c), (r + n - 1, c + n - 1), col if k == max(cnt.values()) else 0)
    return out
