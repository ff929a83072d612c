"""Move the green (3) cell one step towards the yellow (4) cell."""


def task(img):
    (r3, c3), (r4, c4) = cells_of_color(img, 3)[0], cells_of_color(img, 4)[0]
    out = replace(img, 3, 0)
    return draw_pixel(out, (r3 + np.sign(r4 - r3), c3 + np.sign(c4 - c3)), 3)
