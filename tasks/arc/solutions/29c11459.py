"""Extend the two end pixels of a row towards each other until they meet, with a grey (5) cell in the middle."""


def task(img):
    out = copy(img)
    w = img.shape[1]
    for r in range(img.shape[0]):
        if img[r, 0] and img[r, -1]:
            out[r, :w // 2] = img[r, 0]
            out[r, w // 2 + 1:] = img[r, -1]
            out[r, w // 2] = 5
    return out
