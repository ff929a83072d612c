"""Connect the red pixel to the green pixel with an azure (8) elbow: along the red pixel's row, then down or up the green pixel's column."""


def task(img):
    (r2, c2), (r3, c3) = cells_of_color(img, 2)[0], cells_of_color(img, 3)[0]
    out = copy(img)
    draw_line(out, (r2, c2), (r2, c3), 8)
    draw_line(out, (r2, c3), (r3, c3), 8)
    out[r2, c2], out[r3, c3] = 2, 3
    return out
