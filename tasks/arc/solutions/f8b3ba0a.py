"""List, as a column, the colours of the minority blocks from most to least frequent."""


def task(img):
    return [[c] for c in colors(img)[2:]]
