"""The green L around the red centre points to a corner: draw a 4x4 green square in that corner of a 9x9 grid and another one diagonally next to it towards the centre."""


def task(img):
    (r, c), = cells_of_color(img, 2)
    cells = [p for p in zip(*np.nonzero(img)) if img[p] != 2]
    dr = 1 if sum(p[0] for p in cells) > r * len(cells) else -1
    dc = 1 if sum(p[1] for p in cells) > c * len(cells) else -1
    out = create_img((9, 9))
    first = lambda d: (0, 4) if d < 0 else (5, 1)
    (a1, a2), (b1, b2) = first(dr), first(dc)
    draw_rectangle(out, (a1, b1), (a1 + 3, b1 + 3), 3)
    draw_rectangle(out, (a2, b2), (a2 + 3, b2 + 3), 3)
    return out
