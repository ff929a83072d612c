"""Flank the orange (7) bar with bars that shorten by one per column outwards, alternating azure (8) and orange."""


def task(img):
    out = copy(img)
    pts = cells_of_color(img, 7)
    c, n = pts[0][1], len(pts)
    for x in range(img.shape[1]):
        d = abs(x - c)
        if d < n:
            out[:n - d, x] = 8 if d % 2 else 7
    return out
