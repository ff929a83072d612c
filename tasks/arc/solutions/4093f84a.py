"""Every dot falls onto the grey (5) band from its side and turns grey."""


def task(img):
    horizontal = any((img[r] == 5).all() for r in range(img.shape[0]))
    g = img if horizontal else img.T
    rows = [r for r in range(g.shape[0]) if (g[r] == 5).all()]
    t, b = rows[0], rows[-1] + 1
    g = np.where(g != 0, 5, 0)
    g = np.concatenate([gravity(g[:t], (1, 0), bg=0), g[t:b], gravity(g[b:], (-1, 0), bg=0)])
    return g if horizontal else g.T
