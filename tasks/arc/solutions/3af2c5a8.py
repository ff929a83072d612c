"""Mirror the grid into a 2x2 arrangement (original, left-right and up-down mirrors)."""


def task(img):
    top = hconcat(img, flip_lr(img))
    return vconcat(top, flip_ud(top))
