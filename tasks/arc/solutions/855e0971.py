"""Every hole in a colour band cuts a black line straight across that band (perpendicular to the bands)."""


def task(img):
    flipped = not all(len(set(row[row != 0].tolist())) == 1 for row in img)
    g = transpose(img) if flipped else img
    out = copy(g)
    for r, c in cells_of_color(g, 0):
        b = [v for v in g[r] if v != 0][0]
        rows = [i for i in range(g.shape[0]) if b in g[i]]
        out[min(rows):max(rows) + 1, c] = 0
    return transpose(out) if flipped else out
