"""Output the 3x3 piece with the most blue (1) cells."""


def task(img):
    objs = find_objects(img, multicolor=True)
    return max(objs, key=lambda o: int((o.sprite == 1).sum())).sprite
