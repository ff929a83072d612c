"""Keep only the largest solid one-colour rectangle and clear the noise around it."""


def task(img):
    h, w = img.shape
    best = (0, None)
    for c in range(1, 10):
        m = (img == c).astype(int)
        s = np.zeros((h + 1, w + 1), int)
        s[1:, 1:] = m.cumsum(0).cumsum(1)
        for t in range(h):
            for b in range(t, h):
                for l in range(w):
                    for r in range(l, w):
                        a = (b - t + 1) * (r - l + 1)
                        if a <= best[0]:
                            continue
                        if s[b + 1, r + 1] - s[t, r + 1] - s[b + 1, l] + s[t, l] == a:
                            best = (a, (t, l, b, r, c))
                        else:
                            break
    t, l, b, r, c = best[1]
    out = create_img(img.shape)
    return draw_rectangle(out, (t, l), (b, r), c)
