"""Overlay the left and right halves: magenta (6) wherever either half is coloured."""


def task(img):
    w = img.shape[1] // 2
    return np.where((img[:, :w] != 0) | (img[:, w:] != 0), 6, 0)
