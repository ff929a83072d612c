"""Every black region that touches a blue (1) cell is filled blue."""


def task(img):
    out = copy(img)
    for o in find_objects(np.where(img == 0, 1, 0), bg=0):
        if (img[halo(img, o)] == 1).any():
            out = paint_cells(out, o, 1)
    return out
