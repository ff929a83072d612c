"""Recolour every grey (5) cell with the colour at the start of its row."""


def task(img):
    return np.where(img == 5, img[:, :1], img)
