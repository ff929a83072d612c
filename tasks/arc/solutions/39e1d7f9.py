"""On the lattice of cells, copy the one fully decorated pattern around every other cell of its centre colour."""


def task(img):
    rs, cs = separators(img)
    def bands(seps, n):
        edges = [-1] + list(seps) + [n]
        return [(a + 1, b) for a, b in zip(edges, edges[1:]) if b > a + 1]
    rb, cb = bands(rs, img.shape[0]), bands(cs, img.shape[1])
    m = np.array([[img[r0, c0] for c0, _ in cb] for r0, _ in rb])
    p = np.pad(m, 2)
    def busy(i, j):
        return int((p[i + 1:i + 4, j + 1:j + 4] != 0).sum()) if m[i, j] else -1
    ci, cj = max(((i, j) for i in range(m.shape[0]) for j in range(m.shape[1])), key=lambda ij: busy(*ij))
    tmpl = p[ci:ci + 5, cj:cj + 5].copy()
    q = p.copy()
    for i, j in zip(*np.nonzero(m == m[ci, cj])):
        win = q[i:i + 5, j:j + 5]
        win[tmpl != 0] = tmpl[tmpl != 0]
    q = q[2:-2, 2:-2]
    out = copy(img)
    for i, (r0, r1) in enumerate(rb):
        for j, (c0, c1) in enumerate(cb):
            out[r0:r1, c0:c1] = q[i, j]
    return out
