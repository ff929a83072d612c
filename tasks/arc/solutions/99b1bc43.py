"""Overlay the halves above and below the yellow line; mark green (3) the cells filled in exactly one of them."""


def task(img):
    h = img.shape[0] // 2
    return np.where((img[:h] != 0) != (img[h + 1:] != 0), 3, 0)
