"""Continue the azure (8) diagonal away from the border in green (3), bouncing once off the red (2) wall, until it leaves the grid."""


def task(img):
    h, w = img.shape
    pts = cells_of_color(img, 8)
    a, b = pts[0], pts[-1]
    if not touches_border(img, [a]):
        a, b = b, a
    dr, dc = (1 if b[0] > a[0] else -1), (1 if b[1] > a[1] else -1)
    out = copy(img)
    r, c = b
    inside = lambda y, x: 0 <= y < h and 0 <= x < w
    while True:
        if inside(r, c + dc) and img[r, c + dc] == 2:
            dc = -dc
        if inside(r + dr, c) and img[r + dr, c] == 2:
            dr = -dr
        r, c = r + dr, c + dc
        if not inside(r, c) or img[r, c] != 0:
            return out
        out[r, c] = 3
