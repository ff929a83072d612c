"""Tile the grid 2x2, then put azure (8) on the empty diagonal neighbours of every coloured pixel."""


def task(img):
    t = tile(img, 2, 2)
    out = copy(t)
    for r, c in zip(*np.nonzero(t)):
        for dr, dc in ((1, 1), (1, -1), (-1, 1), (-1, -1)):
            if 0 <= r + dr < t.shape[0] and 0 <= c + dc < t.shape[1] and t[r + dr, c + dc] == 0:
                out[r + dr, c + dc] = 8
    return out
