"""Mirror the shape beside the diagonal cross about the cross's centre lines into all four quadrants."""


def task(img):
    def is_cross(c):
        t, l, b, r = bbox(np.where(img == c, c, 0), bg=0)
        return b - t == r - l == 2 and count_color(img, c) == 5 and img[t + 1, l + 1] == c
    centre = [c for c in colors(img)[1:] if is_cross(c)][0]
    t, l, b, r = bbox(np.where(img == centre, centre, 0), bg=0)
    out = copy(img)
    for y, x in zip(*np.nonzero((img != 0) & (img != centre))):
        for p in ((t + b - y, x), (y, l + r - x), (t + b - y, l + r - x)):
            draw_pixel(out, p, img[y, x])
    return out
