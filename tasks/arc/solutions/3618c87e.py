"""Each blue (1) cell drops onto the bottom row in its column, leaving its old place empty."""


def task(img):
    out = copy(img)
    for r, c in cells_of_color(img, 1):
        out[r, c] = 0
        out[-1, c] = 1
    return out
