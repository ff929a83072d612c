"""Recolour each green (3) pixel to the colour of the nearer of the two border lines."""


def task(img):
    g = img if img[0, 0] == img[-1, 0] else transpose(img)
    out = copy(g)
    for r, c in cells_of_color(g, 3):
        out[r, c] = g[r, 0] if c < g.shape[1] / 2 else g[r, -1]
    return out if img[0, 0] == img[-1, 0] else transpose(out)
