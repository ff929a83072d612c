"""Fill the black holes of the periodic pattern by continuing its period in both directions."""


def task(img):
    def period(g):
        for p in range(1, g.shape[0]):
            a, b = g[p:], g[:-p]
            if ((a == b) | (a == 0) | (b == 0)).all():
                return p
        return g.shape[0]
    pr, pc = period(img), period(img.T)
    out = copy(img)
    for r, c in zip(*np.nonzero(img == 0)):
        cls = img[r % pr::pr, c % pc::pc]
        out[r, c] = cls.max()
    return out
