"""Remove the solid rectangle covering a left-right symmetric shape and restore the shape's hidden half by mirroring it about its symmetry axis."""


def task(img):
    cols = [c for c in colors(img) if c != 0]
    rect = None
    for c in cols:
        t, l, b, r = bbox(np.where(img == c, c, 0), bg=0)
        if count_color(img, c) == (b - t + 1) * (r - l + 1):
            rect = c
    shape = next(c for c in cols if c != rect)
    hidden = img == rect
    vis = img == shape
    ys, xs = np.nonzero(vis)
    w = img.shape[1]
    best = None
    for s in range(2 * w - 1):
        mx = s - xs
        inside = (mx >= 0) & (mx < w)
        mxc = np.clip(mx, 0, w - 1)
        good = inside & (vis[ys, mxc] | hidden[ys, mxc])
        score = (int((~good).sum()), -int((inside & vis[ys, mxc]).sum()))
        if best is None or score < best[0]:
            best = (score, s)
    s = best[1]
    out = np.where(vis, shape, 0)
    for y, x in zip(ys, xs):
        if 0 <= s - x < w:
            out[y, s - x] = shape
    return out
