"""Complete every scaled, turned or mirrored copy of the multicoloured template whose marker cells are present, painting in the template's main colour."""


def task(img):
    bg = background(img)
    tpl = max(find_objects(img, diagonal=True, multicolor=True), key=lambda o: len(o.colors))
    vals, counts = np.unique(tpl.sprite[tpl.mask], return_counts=True)
    main = int(vals[np.argmax(counts)])
    out = copy(img)
    h, w = img.shape
    for flip in (False, True):
        for k in range(4):
            base = rotate(flip_lr(tpl.sprite) if flip else tpl.sprite, k)
            for s in range(1, 5):
                t = upscale(base, s)
                th, tw = t.shape
                marks = (t != main) & (t != bg)
                for r in range(h - th + 1):
                    for c in range(w - tw + 1):
                        win = img[r:r + th, c:c + tw]
                        if (win[marks] == t[marks]).all() and (win[t == main] == bg).all():
                            out[r:r + th, c:c + tw][t == main] = main
    return out
