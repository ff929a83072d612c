"""Remove the noise colour: a noise cell with at least two neighbours of a rectangle's colour takes that colour, any other becomes background."""


def task(img):
    noise = colors(img)[2]
    out = replace(img, noise, 0)
    for r, c in cells_of_color(img, noise):
        nb = [out[p] for p in neighbors(img, (r, c)) if out[p] != 0]
        if len(nb) >= 2:
            out[r, c] = nb[0]
    return out
