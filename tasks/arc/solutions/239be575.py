"""Output azure (8) if a path of azure cells joins the two red (2) squares, else black."""


def task(img):
    joined = any(len([p for p in o.cells if img[p] == 2]) == 8 for o in find_objects(img, diagonal=True, multicolor=True))
    return [[8 if joined else 0]]
