"""The grid is split into blocks by empty rows and columns; output one cell per block with the block's main colour."""


def task(img):
    rows, cols = separators(img, 0)
    def runs(n, seps):
        return sum(1 for i in range(n) if i not in seps and (i == 0 or i - 1 in seps))
    nr = runs(img.shape[0], rows)
    pieces = split_grid(img, 0)
    vals = [[c for c in colors(p) if c != 0][0] for p in pieces]
    return np.array(vals).reshape(nr, -1)
