"""List, as a column, the shapes' colours from the largest shape to the smallest."""


def task(img):
    objs = sorted(find_objects(img, diagonal=True), key=lambda o: -o.size)
    return [[o.color] for o in objs]
