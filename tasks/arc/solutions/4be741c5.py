"""List the colour bands in order, as a row if they run left to right, else as a column."""


def task(img):
    order = lambda line: list(dict.fromkeys(line.tolist()))
    if len(order(img[0])) == len(colors(img)):
        return [order(img[0])]
    return [[c] for c in order(img[:, 0])]
