"""Collapse runs of identical consecutive rows and of identical consecutive columns to one each."""


def task(img):
    def dedupe(g):
        keep = [0] + [i for i in range(1, g.shape[0]) if not np.array_equal(g[i], g[i - 1])]
        return g[keep]
    return transpose(dedupe(transpose(dedupe(img))))
