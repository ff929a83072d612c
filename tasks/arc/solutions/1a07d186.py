"""Each loose pixel moves to touch the full line of its own colour on its side; pixels with no line of their colour vanish."""


def task(img):
    rows, cols = [], []
    for v in colors(img)[1:]:
        rs, cs = separators(img, v)
        rows += [(i, v) for i in rs]
        cols += [(i, v) for i in cs]
    out = create_img(img.shape, 0)
    for i, v in rows:
        draw_horizontal_line(out, i, v)
    for i, v in cols:
        draw_vertical_line(out, i, v)
    for r, c in zip(*np.nonzero(img)):
        v = img[r, c]
        if any(i == r for i, _ in rows) or any(i == c for i, _ in cols):
            continue
        opts = [(abs(i - r), (i - 1 if r < i else i + 1, c)) for i, u in rows if u == v]
        opts += [(abs(i - c), (r, i - 1 if c < i else i + 1)) for i, u in cols if u == v]
        if opts:
            draw_pixel(out, min(opts)[1], v)
    return out
