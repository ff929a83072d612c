"""Mark red (2) pixels with yellow (4) on their diagonals and blue (1) pixels with orange (7) beside them."""


def task(img):
    out = copy(img)
    for r, c in cells_of_color(img, 2):
        for dr, dc in ((1, 1), (1, -1), (-1, 1), (-1, -1)):
            draw_pixel(out, (r + dr, c + dc), 4)
    for r, c in cells_of_color(img, 1):
        for dr, dc in ((0, 1), (0, -1), (1, 0), (-1, 0)):
            draw_pixel(out, (r + dr, c + dc), 7)
    return out
