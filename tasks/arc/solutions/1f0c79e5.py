"""Shoot the 2x2 block diagonally towards each of its red (2) corners, leaving a trail in the block's other colour."""


def task(img):
    o = find_objects(img, multicolor=True)[0]
    col = [v for v in o.colors if v != 2][0]
    out = copy(img)
    for r, c in cells_of_color(img, 2):
        d = (2 * (r - o.top) - 1, 2 * (c - o.left) - 1)
        for k in range(10):
            out = paint_object(out, o, col, (k * d[0], k * d[1]))
    return out
