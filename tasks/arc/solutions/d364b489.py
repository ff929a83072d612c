"""Surround every blue (1) pixel with red (2) above, orange (7) left, magenta (6) right and azure (8) below."""


def task(img):
    out = copy(img)
    for r, c in cells_of_color(img, 1):
        for (dr, dc), col in zip([(-1, 0), (0, -1), (0, 1), (1, 0)], [2, 7, 6, 8]):
            draw_pixel(out, (r + dr, c + dc), col)
    return out
