"""Double the grid's width, continuing the horizontally periodic pattern."""


def task(img):
    h, w = img.shape
    p = next(p for p in range(1, w + 1) if (img[:, p:] == img[:, :w - p]).all())
    return img[:, [c % p for c in range(2 * w)]]
