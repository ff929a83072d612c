"""For each diagonal pair of green blocks, put azure (8) blocks of the same size just outside the other two corners of the pair's box."""


def task(img):
    out = copy(img)
    for o in find_objects(img, diagonal=True):
        n = o.height // 2
        if o.mask[0, 0]:
            corners = [(o.top - n, o.right + 1), (o.bottom + 1, o.left - n)]
        else:
            corners = [(o.top - n, o.left - n), (o.bottom + 1, o.right + 1)]
        for r, c in corners:
            draw_rectangle(out, (r, c), (r + n - 1, c + n - 1), 8)
    return out
