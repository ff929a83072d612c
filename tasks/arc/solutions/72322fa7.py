"""Complete every partial copy of a two-coloured template: wherever one colour's part of a template appears alone, add the template's other cells."""


def task(img):
    out = copy(img)
    h, w = img.shape
    for t in find_objects(img, diagonal=True, multicolor=True):
        if len(t.colors) < 2:
            continue
        s = np.where(t.mask, t.sprite, 0)
        th, tw = s.shape
        for c in t.colors:
            for r in range(h - th + 1):
                for x in range(w - tw + 1):
                    win = img[r:r + th, x:x + tw]
                    if ((win == c) == (s == c)).all() and (win[(s != c) & (s != 0)] == 0).all():
                        out[r:r + th, x:x + tw][s != 0] = s[s != 0]
    return out
