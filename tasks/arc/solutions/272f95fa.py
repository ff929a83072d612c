"""Colour the cells of the 3x3 grid made by the azure lines: top red (2), left yellow (4), centre magenta (6), right green (3), bottom blue (1)."""


def task(img):
    rows, cols = separators(img)
    h, w = img.shape
    rb = [(0, rows[0] - 1), (rows[0] + 1, rows[1] - 1), (rows[1] + 1, h - 1)]
    cb = [(0, cols[0] - 1), (cols[0] + 1, cols[1] - 1), (cols[1] + 1, w - 1)]
    out = copy(img)
    for (i, j), v in {(0, 1): 2, (1, 0): 4, (1, 1): 6, (1, 2): 3, (2, 1): 1}.items():
        draw_rectangle(out, (rb[i][0], cb[j][0]), (rb[i][1], cb[j][1]), v)
    return out
