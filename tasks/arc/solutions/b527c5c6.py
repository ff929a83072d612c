"""From each green rectangle's red cell shoot a red line out across its long side to the edge, flanked by green bands one cell narrower than the rectangle's thickness."""


def task(img):
    out = copy(img)
    for o in find_objects(img, multicolor=True):
        y, x = [(o.top + r, o.left + c) for r, c in zip(*np.nonzero(o.sprite == 2))][0]
        if o.height > o.width:
            d, perp, k = (0, -1 if x == o.left else 1), (1, 0), o.width
        else:
            d, perp, k = (-1 if y == o.top else 1, 0), (0, 1), o.height
        for s in range(-(k - 1), k):
            start = (y + s * perp[0], x + s * perp[1])
            out = ray(out, start, d, 2 if s == 0 else 3)
    return out
