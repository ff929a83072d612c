"""Fill empty 3x3 squares with blue (1), scanning in reading order and never overlapping a filled one."""


def task(img):
    out = copy(img)
    h, w = img.shape
    for r in range(h - 2):
        for c in range(w - 2):
            if (out[r:r + 3, c:c + 3] == 0).all():
                draw_rectangle(out, (r, c), (r + 2, c + 2), 1)
    return out
