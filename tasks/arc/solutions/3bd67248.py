"""Draw a red (2) anti-diagonal from the top-right corner down to the left column and a yellow (4) bottom row beside the left column."""


def task(img):
    out = copy(img)
    h, w = img.shape
    draw_line(out, (0, w - 1), (w - 2, 1), 2)
    draw_line(out, (h - 1, 1), (h - 1, w - 1), 4)
    return out
