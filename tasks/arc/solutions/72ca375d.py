"""Output the one object that is left-right symmetric, cropped."""


def task(img):
    return [o.sprite for o in find_objects(img, diagonal=True) if is_symmetric(o.sprite, 'lr')][0]
