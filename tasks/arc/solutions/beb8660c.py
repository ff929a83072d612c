"""Sort the bars by length and stack them right-aligned at the bottom, the longest lowest."""


def task(img):
    h, w = img.shape
    bars = sorted((np.count_nonzero(row), int(row.max())) for row in img if row.any())
    out = create_img((h, w))
    for i, (n, col) in enumerate(reversed(bars)):
        out[h - 1 - i, w - n:] = col
    return out
