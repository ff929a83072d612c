"""In the grid of grey (5) lines, fill the top-left cell blue (1), the central cell red (2) and the bottom-right cell green (3)."""


def task(img):
    rows, cols = separators(img, 5)
    def spans(seps, n):
        cuts = [-1] + list(seps) + [n]
        return [(a + 1, b - 1) for a, b in zip(cuts, cuts[1:]) if b - a > 1]
    rs, cs = spans(rows, img.shape[0]), spans(cols, img.shape[1])
    out = copy(img)
    for (i, j), col in [((0, 0), 1), ((len(rs) // 2, len(cs) // 2), 2), ((-1, -1), 3)]:
        draw_rectangle(out, (rs[i][0], cs[j][0]), (rs[i][1], cs[j][1]), col)
    return out
