"""Move each shape, rotated or mirrored as needed, onto the lone pixels that match its coloured marker cells; erase the originals."""


def task(img):
    objs = find_objects(img, multicolor=True)
    marks = {(o.top, o.left): o.color for o in objs if o.size == 1}
    out = create_img(img.shape, background(img))
    for o in objs:
        if o.size == 1:
            continue
        main = np.bincount(o.sprite[o.mask]).argmax()
        for s in [rotate(f, k) for f in (o.sprite, flip_lr(o.sprite)) for k in range(4)]:
            pts = [(r, c, s[r, c]) for r, c in zip(*np.nonzero((s != 0) & (s != main)))]
            r0, c0, v0 = pts[0]
            hits = [(mr - r0, mc - c0) for (mr, mc), v in marks.items() if v == v0]
            good = [d for d in hits if all(marks.get((r + d[0], c + d[1])) == v for r, c, v in pts)]
            if good:
                out = blit(out, s, good[0], transparent=0)
                break
    return out
