"""Extend the repeating pattern over the whole grid, shifted by one cell."""


def task(img):
    fill = img[-1, -1]
    pat = img[img[:, 0] != fill][:, img[0] != fill]

    def period(a):
        return next(p for p in range(1, a.shape[1] + 1) if np.array_equal(a[:, p:], a[:, :a.shape[1] - p]))

    pw, ph = period(pat), period(pat.T)
    r, c = np.indices(img.shape)
    return pat[r % ph, (c + 1) % pw]
