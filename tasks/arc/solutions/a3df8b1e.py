"""Bounce the blue pixel diagonally up from the bottom row, reflecting off the side walls."""


def task(img):
    h, w = img.shape
    c0 = cells_of_color(img, 1)[0][1]
    out = create_img(img.shape)
    period = max(2 * (w - 1), 1)
    for k in range(h):
        p = (c0 + k) % period
        out[h - 1 - k, p if p < w else period - p] = 1
    return out
