"""Copy the one filled compartment of the yellow-ruled grid into every other compartment."""


def task(img):
    rows, cols = separators(img, 4)
    rs = [-1] + list(rows) + [img.shape[0]]
    cs = [-1] + list(cols) + [img.shape[1]]
    boxes = [(a + 1, b + 1) for a in rs[:-1] for b in cs[:-1]]
    pattern = [p for p in split_grid(img, 4) if p.any()][0]
    out = copy(img)
    for r, c in boxes:
        out = blit(out, pattern, (r, c))
    return out
