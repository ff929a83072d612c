"""Recolour each green path by its shape: an L blue (1), a U magenta (6), anything else red (2)."""


def task(img):
    out = copy(img)
    for obj in find_objects(img):
        cells = set(obj.cells)
        dirs = []
        for r, c in cells:
            nb = [(-a, -b) for a, b in [(1, 0), (-1, 0), (0, 1), (0, -1)] if (r + a, c + b) in cells]
            if len(nb) == 1:
                dirs.append(nb[0])
        color = 2
        if len(dirs) == 2:
            dot = dirs[0][0] * dirs[1][0] + dirs[0][1] * dirs[1][1]
            color = 1 if dot == 0 else 6 if dot > 0 else 2
        out = paint_object(out, obj, color)
    return out
