"""One half is a coloured pattern, the other an azure mask: draw the mask once per pattern cell, in that cell's colour."""


def task(img):
    g = img if img.shape[1] > img.shape[0] else transpose(img)
    n = g.shape[0]
    a, b = g[:, :n], g[:, n:]
    mask, pat = (a, b) if (a == 8).any() else (b, a)
    out = np.kron(pat, (mask != 0).astype(int))
    return out if g is img else transpose(out)
