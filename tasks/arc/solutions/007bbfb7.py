"""Place a copy of the 3x3 grid in each 3x3 block of a 9x9 grid where the input cell is coloured; other blocks stay empty."""


def task(img):
    return np.kron(img != 0, img)
