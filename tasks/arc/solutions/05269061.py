"""Fill the grid with the diagonal stripes: each cell takes the colour seen on its anti-diagonal class (row + col) mod 3."""


def task(img):
    h, w = img.shape
    cmap = {(r + c) % 3: img[r, c] for r, c in zip(*np.nonzero(img))}
    return np.array([[cmap[(r + c) % 3] for c in range(w)] for r in range(h)])
