"""Make a 3x3 arrangement of copies of the grid, placed where the grid has its most common colour."""


def task(img):
    mask = (img == colors(img)[0]).astype(int)
    return np.kron(mask, img)
