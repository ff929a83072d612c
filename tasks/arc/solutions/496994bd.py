"""Mirror the coloured top rows onto the bottom of the grid."""


def task(img):
    return np.where(img == 0, flip_ud(img), img)
