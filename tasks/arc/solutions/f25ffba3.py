"""Mirror the bottom half of the grid into the top half."""


def task(img):
    h = img.shape[0]
    out = copy(img)
    out[:h // 2] = flip_ud(img[h - h // 2:])
    return out
