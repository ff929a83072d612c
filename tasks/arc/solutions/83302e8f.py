"""Colour the lattice's closed compartments green (3) and the compartments joined through gaps in the lines, gaps included, yellow (4)."""


def task(img):
    out = copy(img)
    for o in find_objects(np.where(img == 0, 1, 0), bg=0):
        out = paint_object(out, o, 3 if o.size == o.height * o.width else 4)
    return out
