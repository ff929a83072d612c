"""Join the azure (8) cell to the red (2) cell with a yellow (4) path: vertically from the azure cell, then across."""


def task(img):
    (r1, c1), (r2, c2) = cells_of_color(img, 8)[0], cells_of_color(img, 2)[0]
    out = copy(img)
    draw_line(out, (r1, c1), (r2, c1), 4)
    draw_line(out, (r2, c1), (r2, c2), 4)
    draw_pixel(out, (r1, c1), 8)
    draw_pixel(out, (r2, c2), 2)
    return out
