"""Paint green (3) every row and column whose whole inside (between the two border walls) is empty."""


def task(img):
    out = copy(img)
    for g, o in ((img, out), (img.T, out.T)):
        for i in range(1, g.shape[0] - 1):
            if (g[i, 1:-1] == 0).all():
                o[i, 1:-1] = 3
    return out
