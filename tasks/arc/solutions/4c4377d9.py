"""Stack the upside-down grid on top of the original."""


def task(img):
    return vconcat(flip_ud(img), img)
