"""Wherever a cluster of yellow cells matches the yellow pattern inside the blue box (turned or mirrored), draw the blue box around it too (clipped at the edge)."""


def task(img):
    box = [o for o in find_objects(img) if o.color == 1][0]
    sprite = img[box.top:box.bottom + 1, box.left:box.right + 1]
    m = max(sprite.shape)
    pad = np.pad(img, m)
    out = pad.copy()
    h, w = pad.shape
    for flip in (False, True):
        for k in range(4):
            t = rotate(flip_lr(sprite) if flip else sprite, k)
            th, tw = t.shape
            for r in range(h - th + 1):
                for c in range(w - tw + 1):
                    if ((pad[r:r + th, c:c + tw] == 4) == (t == 4)).all():
                        out[r:r + th, c:c + tw][t == 1] = 1
    return out[m:-m, m:-m]
