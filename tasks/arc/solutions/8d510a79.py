"""Across the grey (5) line, red (2) cells grow into a line reaching toward the grey line, blue (1) cells grow away from it to the grid's edge."""


def task(img):
    rows, cols = separators(img, 5)
    flip = not rows
    g = transpose(img) if flip else copy(img)
    line = separators(g, 5)[0][0]
    out = copy(g)
    for r, c in cells_of_color(g, 2):
        out = ray(out, (r, c), (1 if r < line else -1, 0), 2, stop_at_nonbg=True)
    for r, c in cells_of_color(g, 1):
        out = ray(out, (r, c), (-1 if r < line else 1, 0), 1, stop_at_nonbg=True)
    return transpose(out) if flip else out
