"""Greedily paint red (2) the largest all-black rectangle at least 2x2, again and again until none is left."""


def task(img):
    out = copy(img)
    h, w = img.shape
    while True:
        best = None
        for t in range(h - 1):
            for b in range(t + 1, h):
                full = (out[t:b + 1] == 0).all(axis=0)
                c = 0
                while c < w:
                    if not full[c]:
                        c += 1
                        continue
                    e = c
                    while e < w and full[e]:
                        e += 1
                    area = (b - t + 1) * (e - c)
                    if e - c >= 2 and (best is None or area > best[0]):
                        best = (area, t, c, b, e - 1)
                    c = e
        if best is None:
            return out
        draw_rectangle(out, best[1:3], best[3:5], 2)
