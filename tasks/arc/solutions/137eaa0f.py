"""Stack the pieces on top of each other aligned on their grey (5) centre cell, giving one 3x3 pattern."""


def task(img):
    out = create_img((3, 3), 0)
    p = np.pad(img, 1)
    for r, c in cells_of_color(p, 5):
        win = p[r - 1:r + 2, c - 1:c + 2]
        out = np.where(win != 0, win, out)
    return out
