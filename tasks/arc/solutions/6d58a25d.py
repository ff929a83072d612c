"""Under the big chevron, every column that has a dot below the chevron becomes a line of the dots' colour from the chevron down to the bottom."""


def task(img):
    shape = max(find_objects(img, diagonal=True), key=lambda o: o.size)
    dot = [c for c in colors(img) if c not in (0, shape.color)][0]
    out = copy(img)
    for c in range(shape.left, shape.right + 1):
        low = max([r for r, cc in shape.cells if cc == c], default=None)
        if low is not None and (img[low + 1:, c] == dot).any():
            draw_line(out, (low + 1, c), (img.shape[0] - 1, c), dot)
    return out
