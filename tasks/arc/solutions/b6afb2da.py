"""Repaint every grey rectangle: blue (1) corners, yellow (4) edges and a red (2) interior."""


def task(img):
    out = copy(img)
    for o in find_objects(img, bg=0):
        t, l, b, r = o.top, o.left, o.bottom, o.right
        draw_rectangle(out, (t, l), (b, r), 4)
        draw_rectangle(out, (t + 1, l + 1), (b - 1, r - 1), 2)
        for p in [(t, l), (t, r), (b, l), (b, r)]:
            draw_pixel(out, p, 1)
    return out
