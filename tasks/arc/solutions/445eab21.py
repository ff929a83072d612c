"""Output a 2x2 square in the colour of the largest hollow rectangle."""


def task(img):
    big = max(find_objects(img), key=lambda o: o.height * o.width)
    return create_img((2, 2), big.color)
