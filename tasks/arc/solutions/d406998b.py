"""Recolour grey (5) cells green (3) in every other column counting back from the last."""


def task(img):
    w = img.shape[1]
    cols = (w - 1 - np.arange(w)) % 2 == 0
    return np.where((img == 5) & cols, 3, img)
