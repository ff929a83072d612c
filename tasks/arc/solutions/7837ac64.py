"""Read the coloured crossings of the lattice as a grid of corners; each output cell gets a colour when all four of its corner crossings share that colour."""


def task(img):
    line = colors(img)[1] if colors(img)[0] == 0 else colors(img)[0]
    t, l, b, r = bbox(np.where((img != 0) & (img != line), 1, 0), bg=0)
    rows = [i for i in range(t, b + 1) if (img[i] != 0).all()]
    cols = [j for j in range(l, r + 1) if (img[:, j] != 0).all()]
    m = img[np.ix_(rows, cols)]
    n, k = m.shape
    out = create_img((n - 1, k - 1))
    for i in range(n - 1):
        for j in range(k - 1):
            q = m[i:i + 2, j:j + 2]
            if (q == q[0, 0]).all() and q[0, 0] != line:
                out[i, j] = q[0, 0]
    return out
