"""List the coloured lines (ignoring the grey square) in order as an N x N grid of stripes, N being the number of lines, keeping their orientation."""


def task(img):
    cs = [c for c in colors(img) if c not in (0, 5)]
    pos = {c: cells_of_color(img, c) for c in cs}
    horiz = len({r for r, _ in pos[cs[0]]}) == 1
    key = 0 if horiz else 1
    cs.sort(key=lambda c: pos[c][0][key])
    out = np.array([cs] * len(cs))
    return out.T if horiz else out
