"""Repair the diagonal colour cycle 1..n: every cell (r, c) gets colour (r + c) mod n + 1."""


def task(img):
    n = int(img.max())
    r, c = np.indices(img.shape)
    return (r + c) % n + 1
