"""Output the largest object, cropped."""


def task(img):
    big = max(find_objects(img, bg=0), key=lambda o: o.size)
    return big.sprite
