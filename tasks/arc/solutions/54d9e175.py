"""Fill each 3x3 cell of the grey (5) lattice with the colour of its centre plus five."""


def task(img):
    out = copy(img)
    for r, c in zip(*np.nonzero((img != 0) & (img != 5))):
        out[r - 1:r + 2, c - 1:c + 2] = img[r, c] + 5
    return out
