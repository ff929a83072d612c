"""Shrink the block picture to one cell per coloured block by removing repeated rows and columns."""


def task(img):
    g = crop_to_content(img)
    keep_r = [0] + [i for i in range(1, g.shape[0]) if not (g[i] == g[i - 1]).all()]
    g = g[keep_r]
    keep_c = [0] + [j for j in range(1, g.shape[1]) if not (g[:, j] == g[:, j - 1]).all()]
    return g[:, keep_c]
