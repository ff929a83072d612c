"""Draw full lines through the two pixels across the grid's short side, then repeat the pair of lines along the long side."""


def task(img):
    t = img.shape[0] > img.shape[1]
    g = transpose(img) if t else img
    (x1, y1), (x2, y2) = sorted((c, r) for r, c in zip(*np.nonzero(g)))
    out = create_img(g.shape, 0)
    for x in range(x1, g.shape[1], 2 * (x2 - x1)):
        draw_vertical_line(out, x, g[y1, x1])
        draw_vertical_line(out, x + x2 - x1, g[y2, x2])
    return transpose(out) if t else out
