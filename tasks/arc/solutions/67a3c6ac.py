"""Mirror the grid left-right."""


def task(img):
    return flip_lr(img)
