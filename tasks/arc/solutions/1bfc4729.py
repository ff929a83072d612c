"""Each pixel colours its half of the grid: a full row through it, the outer edge row, and both side columns."""


def task(img):
    h, w = img.shape
    out = create_img(img.shape, 0)
    for r, c in zip(*np.nonzero(img)):
        v = img[r, c]
        lo, hi = (0, h // 2 - 1) if r < h // 2 else (h // 2, h - 1)
        draw_line(out, (lo, 0), (hi, 0), v)
        draw_line(out, (lo, w - 1), (hi, w - 1), v)
        draw_horizontal_line(out, r, v)
        draw_horizontal_line(out, 0 if r < h // 2 else h - 1, v)
    return out
