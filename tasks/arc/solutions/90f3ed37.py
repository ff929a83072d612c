"""The largest band is the full template; complete every other band, a left part of it, with blue (1) where the best-aligned shifted template has cells it lacks."""


def task(img):
    h, w = img.shape
    nonempty = [r for r in range(h) if (img[r] != 0).any()]
    bands, start = [], None
    for r in range(h + 1):
        full = r < h and r in nonempty
        if full and start is None:
            start = r
        if not full and start is not None:
            bands.append((start, r))
            start = None
    tb = max(bands, key=lambda b: int((img[b[0]:b[1]] != 0).sum()))
    tmpl = img[tb[0]:tb[1]] != 0
    th = tmpl.shape[0]
    out = copy(img)
    for s, _ in bands:
        if s == tb[0] or s + th > h:
            continue
        band = img[s:s + th] != 0
        def shifted(dx):
            m = np.zeros_like(tmpl)
            if dx >= 0:
                m[:, dx:] = tmpl[:, :w - dx]
            else:
                m[:, :dx] = tmpl[:, -dx:]
            return m
        last = np.array([max(np.nonzero(row)[0], default=-1) for row in band])
        before = np.arange(w)[None, :] <= last[:, None]
        def score(d):
            m = shifted(d)
            return (int((m & band).sum()), -int((m & ~band & before).sum()), -abs(d))
        dx = max(range(-w + 1, w), key=score)
        fill = shifted(dx) & ~band
        out[s:s + th][fill] = 1
    return out
