"""Put the left-right mirror image beside the grid on its left, then stack that block between two upside-down copies of it."""


def task(img):
    row = hconcat(flip_lr(img), img)
    return vconcat(vconcat(flip_ud(row), row), flip_ud(row))
