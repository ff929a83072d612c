"""Two pixels on a line grow towards each other: each draws a stem, then a 5-wide bar, then bar-end arms meeting the other's arms halfway."""


def task(img):
    pts = list(zip(*np.nonzero(img)))
    vertical = pts[0][1] == pts[1][1]
    a = img if vertical else transpose(img)
    (r1, c), (r2, _) = sorted(zip(*np.nonzero(a)))
    out = create_img(a.shape)
    half = (r2 - r1 + 1) // 2
    for start, step in [(r1, 1), (r2, -1)]:
        col = a[start, c]
        end = start + step * (half - 1)
        bar = end - step
        draw_line(out, (start, c), (bar, c), col)
        draw_line(out, (bar, c - 2), (bar, c + 2), col)
        draw_pixel(out, (end, c - 2), col)
        draw_pixel(out, (end, c + 2), col)
    return out if vertical else transpose(out)
