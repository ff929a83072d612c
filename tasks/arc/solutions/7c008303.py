"""Colour the green pattern quadrant by quadrant with the cells of the 2x2 colour key and output it."""


def task(img):
    pieces = split_grid(img, 8)
    key = [p for p in pieces if p.shape == (2, 2)][0]
    pat = max(pieces, key=lambda p: p.size)
    return np.where(pat == 3, upscale(key, pat.shape[0] // 2), 0)
