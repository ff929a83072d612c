"""Fill the empty cells of every column holding a coloured cell with azure (8), then tile the grid 2x2."""


def task(img):
    cols = (img != 0).any(axis=0)
    out = np.where((img == 0) & cols[None, :], 8, img)
    return tile(out, 2, 2)
