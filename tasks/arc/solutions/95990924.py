"""Put blue (1), red (2), green (3), yellow (4) at the top-left, top-right, bottom-left, bottom-right diagonal corners of each grey 2x2 square."""


def task(img):
    out = copy(img)
    for o in find_objects(img):
        t, l, b, r = o.top, o.left, o.bottom, o.right
        for (y, x), col in [((t - 1, l - 1), 1), ((t - 1, r + 1), 2), ((b + 1, l - 1), 3), ((b + 1, r + 1), 4)]:
            draw_pixel(out, (y, x), col)
    return out
