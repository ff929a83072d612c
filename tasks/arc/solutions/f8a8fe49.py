"""Mirror each grey (5) cell out of the red brackets, across the nearer bracket's outer line."""


def task(img):
    flip = (img == 2).sum(axis=1).max() < (img == 2).sum(axis=0).max()
    g = transpose(img) if flip else img
    counts = (g == 2).sum(axis=1)
    lines = [r for r in range(len(counts)) if counts[r] == counts.max()]
    a, b = lines[0], lines[-1]
    out = replace(g, 5, 0)
    for r, c in cells_of_color(g, 5):
        draw_pixel(out, (2 * a - r if r - a < b - r else 2 * b - r, c), 5)
    return transpose(out) if flip else out
