"""Where a green (3) cell touches a red (2) cell, the green becomes azure (8) and the red vanishes."""


def task(img):
    out = copy(img)
    for p in cells_of_color(img, 3):
        for q in neighbors(img, p):
            if img[q] == 2:
                out[p], out[q] = 8, 0
    return out
