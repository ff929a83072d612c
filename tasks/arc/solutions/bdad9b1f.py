"""Extend the azure (8) stub to a full column and the red (2) stub to a full row; their crossing is yellow (4)."""


def task(img):
    out = copy(img)
    c = cells_of_color(img, 8)[0][1]
    r = cells_of_color(img, 2)[0][0]
    draw_vertical_line(out, c, 8)
    draw_horizontal_line(out, r, 2)
    draw_pixel(out, (r, c), 4)
    return out
