"""Surround every single pixel with a 3x3 ring: green (3) gets magenta (6), azure (8) gets yellow (4), red (2) gets blue (1)."""


def task(img):
    ring = {3: 6, 8: 4, 2: 1}
    out = copy(img)
    for c, rc in ring.items():
        for p in cells_of_color(img, c):
            out = paint_cells(out, halo(img, [p], diagonal=True), rc)
    return out
