"""From each outer corner of the container, shoot a diagonal ray outwards in the colour of the block it holds."""


def task(img):
    objs = find_objects(img)
    wall = max(objs, key=lambda o: o.size if o.height == 1 or o.width == 1 or not o.mask.all() else -1)
    block = [o for o in objs if o.color != wall.color][0]
    cells = set(wall.cells)
    out = copy(img)
    for r, c in cells:
        vert = [a for a in (-1, 1) if (r + a, c) in cells]
        horiz = [b for b in (-1, 1) if (r, c + b) in cells]
        if len(vert) == 1 and len(horiz) == 1:
            out = ray(out, (r, c), (-vert[0], -horiz[0]), block.color)
    return out
