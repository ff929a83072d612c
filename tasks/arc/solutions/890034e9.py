"""Draw a copy of the hollow rectangle frame around every other empty area of exactly the frame's inner size."""


def task(img):
    frames = [o for o in find_objects(img) if o.height > 2 and o.width > 2
              and np.array_equal(o.mask, outline(o.mask, np.ones(o.mask.shape, bool)))
              and (img[o.top + 1:o.bottom, o.left + 1:o.right] == 0).all()]
    f = max(frames, key=lambda o: o.size)
    ih, iw = f.height - 2, f.width - 2
    out = copy(img)
    h, w = img.shape
    for r in range(1, h - ih):
        for c in range(1, w - iw):
            if (r, c) != (f.top + 1, f.left + 1) and (img[r:r + ih, c:c + iw] == 0).all():
                out[r - 1:r + ih + 1, c - 1:c + iw + 1][f.mask] = f.color
    return out
