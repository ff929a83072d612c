"""Pixels in line with the green (3) block stretch towards it until they touch it."""


def task(img):
    g = [o for o in find_objects(img, bg=0) if o.color == 3][0]
    out = copy(img)
    for r, c in zip(*np.nonzero((img != 0) & (img != 3))):
        if g.top <= r <= g.bottom:
            draw_line(out, (r, c), (r, g.left - 1 if c < g.left else g.right + 1), img[r, c])
        if g.left <= c <= g.right:
            draw_line(out, (r, c), (g.top - 1 if r < g.top else g.bottom + 1, c), img[r, c])
    return out
