"""Crop the inside of the one-colour rectangular frame."""


def task(img):
    for o in find_objects(img):
        frame = np.ones((o.height, o.width), bool)
        frame[1:-1, 1:-1] = False
        if o.height > 2 and o.width > 2 and (o.mask == frame).all():
            return crop(img, (o.top + 1, o.left + 1), (o.bottom - 1, o.right - 1))
