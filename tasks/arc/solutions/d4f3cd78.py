"""Fill the grey box with azure (8) and let it leak out through the gap in the wall as a ray to the edge."""


def task(img):
    t, l, b, r = bbox(img)
    out = copy(img)
    draw_rectangle(out, (t + 1, l + 1), (b - 1, r - 1), 8)
    for y in range(t, b + 1):
        for x in range(l, r + 1):
            if img[y, x] == 0 and (y in (t, b) or x in (l, r)):
                d = (-1 if y == t else (1 if y == b else 0), -1 if x == l else (1 if x == r else 0))
                out[y, x] = 8
                out = ray(out, (y, x), d, 8)
    return out
