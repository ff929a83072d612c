"""Mirror the grid about its main diagonal."""


def task(img):
    return transpose(img)
