"""Scale the grid up by the number of distinct non-black colours."""


def task(img):
    return upscale(img, len([c for c in colors(img) if c != 0]))
