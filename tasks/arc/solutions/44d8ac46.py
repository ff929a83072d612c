"""Fill every enclosed hole that is a perfect square with red (2)."""


def task(img):
    out = copy(img)
    holes = find_objects(np.where(img == 0, 1, 0), bg=0)
    for h in holes:
        if not touches_border(img, h) and h.height == h.width and h.size == h.height * h.width:
            out = paint_cells(out, h, 2)
    return out
