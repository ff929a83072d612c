"""Continue the repeating pattern to the right edge."""


def task(img):
    w = np.nonzero(img.any(axis=0))[0].max() + 1
    p = next(p for p in range(1, w + 1) if np.array_equal(img[:, p:w], img[:, :w - p]))
    return img[:, np.arange(img.shape[1]) % p]
