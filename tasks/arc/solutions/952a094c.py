"""Move each of the four pixels in the frame's inner corners to just outside the diagonally opposite outer corner."""


def task(img):
    frame = max(find_objects(img), key=lambda o: o.size)
    t, l, b, r = frame.top, frame.left, frame.bottom, frame.right
    out = copy(img)
    inner = [(t + 1, l + 1), (t + 1, r - 1), (b - 1, l + 1), (b - 1, r - 1)]
    outer = [(b + 1, r + 1), (b + 1, l - 1), (t - 1, r + 1), (t - 1, l - 1)]
    for p, q in zip(inner, outer):
        out[q] = img[p]
        out[p] = 0
    return out
