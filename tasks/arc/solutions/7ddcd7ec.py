"""Every cell touching the 2x2 block at a corner extends into a diagonal ray running away from the block."""


def task(img):
    block = max(find_objects(img), key=lambda o: o.size)
    out = copy(img)
    for r, c in cells_of_color(img, block.color):
        if (r, c) not in block.cells:
            dr = 1 if r > block.bottom else -1
            dc = 1 if c > block.right else -1
            out = ray(out, (r, c), (dr, dc), block.color)
    return out
