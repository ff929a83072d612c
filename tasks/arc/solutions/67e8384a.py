"""Mirror the grid into a 2x2 arrangement: the input, its left-right mirror to the right, and the upside-down mirror of both below."""


def task(img):
    top = hconcat(img, flip_lr(img))
    return vconcat(top, flip_ud(top))
