"""Overlay the top and bottom halves; mark red (2) the cells empty in both."""


def task(img):
    h = img.shape[0] // 2
    return np.where((img[:h] == 0) & (img[h:] == 0), 2, 0)
