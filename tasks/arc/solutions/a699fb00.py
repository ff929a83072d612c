"""Between two blue (1) cells one gap apart in a row, put a red (2) cell."""


def task(img):
    out = copy(img)
    m = (img[:, :-2] == 1) & (img[:, 2:] == 1) & (img[:, 1:-1] == 0)
    out[:, 1:-1][m] = 2
    return out
