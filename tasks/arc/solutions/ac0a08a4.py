"""Scale the grid up by the number of its coloured cells."""


def task(img):
    return upscale(img, int((img != 0).sum()))
