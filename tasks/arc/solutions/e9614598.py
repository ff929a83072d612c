"""Draw a green (3) plus centred midway between the two blue (1) cells."""


def task(img):
    (r1, c1), (r2, c2) = cells_of_color(img, 1)
    r, c = (r1 + r2) // 2, (c1 + c2) // 2
    return paint_cells(img, [(r, c), (r - 1, c), (r + 1, c), (r, c - 1), (r, c + 1)], 3)
