"""Fill the open container with yellow (4) and shine it out of the opening: a straight beam plus diagonal rays from the opening's two ends."""


def task(img):
    t, l, b, r = bbox(img)
    out = copy(img)
    box = out[t:b + 1, l:r + 1]
    box[box == 0] = 4
    sides = [((-1, 0), [(t, c) for c in range(l, r + 1)]), ((1, 0), [(b, c) for c in range(l, r + 1)]),
             ((0, -1), [(y, l) for y in range(t, b + 1)]), ((0, 1), [(y, r) for y in range(t, b + 1)])]
    for d, edge in sides:
        gap = [p for p in edge if img[p] == 0]
        if not gap:
            continue
        for p in gap:
            out = ray(out, p, d, 4)
        pr, pc = abs(d[1]), abs(d[0])
        out = ray(out, gap[0], (d[0] - pr, d[1] - pc), 4)
        out = ray(out, gap[-1], (d[0] + pr, d[1] + pc), 4)
    return out
