"""Ring each of the four corner cells with its partner colour and join them along the rectangle with grey (5) dots at even distances from the ends."""


def task(img):
    pts = [tuple(p) for p in zip(*np.nonzero(img))]
    (r1, c1), (r2, c2) = min(pts), max(pts)
    a, b = img[r1, c1], [img[p] for p in pts if img[p] != img[r1, c1]][0]
    out = copy(img)
    for r, c in pts:
        other = b if img[r, c] == a else a
        draw_rectangle(out, (r - 1, c - 1), (r + 1, c + 1), other)
        draw_pixel(out, (r, c), img[r, c])
    for r in (r1, r2):
        for c in range(c1 + 2, c2 - 1):
            if min(c - c1, c2 - c) % 2 == 0:
                out[r, c] = 5
    for c in (c1, c2):
        for r in range(r1 + 2, r2 - 1):
            if min(r - r1, r2 - r) % 2 == 0:
                out[r, c] = 5
    return out
