"""Restore the hidden (black) cells of the pattern: it is symmetric about its diagonal, and right of the diagonal row r repeats the colour cycle of the top row in runs of r + 2."""


def task(img):
    n = len([c for c in colors(img) if c != 0])
    pal = [img[0, 2 + 2 * k] for k in range(n)]
    diag = [v for v in np.diag(img) if v != 0][0]
    out = create_img(img.shape)
    size = img.shape[0]
    for r in range(size):
        out[r, r] = diag
        for c in range(r + 1, size):
            out[r, c] = out[c, r] = pal[((c - r) // (r + 2) - 1) % n]
    return np.where(img == 0, out, img)
