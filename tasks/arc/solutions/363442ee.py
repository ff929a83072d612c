"""Stamp the 3x3 pattern from the top-left corner centred on every blue (1) marker."""


def task(img):
    pat = img[:3, :3]
    out = copy(img)
    for r, c in cells_of_color(img, 1):
        out = blit(out, pat, (r - 1, c - 1))
    return out
