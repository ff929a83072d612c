"""Continue the vertically repeating pattern to 9 rows and recolour blue (1) to red (2)."""


def task(img):
    h = img.shape[0]
    p = next(p for p in range(1, h + 1) if all((img[i] == img[i - p]).all() for i in range(p, h)))
    out = np.array([img[i % p] for i in range(h + h // 2)])
    return replace(out, 1, 2)
