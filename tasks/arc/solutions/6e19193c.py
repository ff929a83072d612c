"""From the missing corner of each three-cell L, shoot a diagonal ray of its colour away from the L."""


def task(img):
    out = copy(img)
    for o in find_objects(img):
        corners = [(o.top + i, o.left + j) for i in (0, 1) for j in (0, 1)]
        gap = [p for p in corners if p not in o.cells][0]
        opp = (2 * o.top + 1 - gap[0], 2 * o.left + 1 - gap[1])
        out = ray(out, gap, (gap[0] - opp[0], gap[1] - opp[1]), o.color)
    return out
