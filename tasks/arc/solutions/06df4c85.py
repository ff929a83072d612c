"""In the grid of cells, fill the empty cells between two cells of the same colour in one row or column with that colour."""


def task(img):
    srows, scols = separators(img)
    def spans(seps, n):
        cuts = [-1] + list(seps) + [n]
        return [(a + 1, b - 1) for a, b in zip(cuts, cuts[1:]) if b - a > 1]
    rs, cs = spans(srows, img.shape[0]), spans(scols, img.shape[1])
    g = np.array([[img[r0, c0] for c0, _ in cs] for r0, _ in rs])
    out = g.copy()
    for m, o in ((g, out), (g.T, out.T)):
        for i in range(m.shape[0]):
            for a in range(m.shape[1]):
                for b in range(a + 1, m.shape[1]):
                    if m[i, a] and m[i, a] == m[i, b]:
                        seg = o[i, a:b + 1]
                        seg[seg == 0] = m[i, a]
    res = copy(img)
    for i, (r0, r1) in enumerate(rs):
        for j, (c0, c1) in enumerate(cs):
            draw_rectangle(res, (r0, c0), (r1, c1), out[i, j])
    return res
