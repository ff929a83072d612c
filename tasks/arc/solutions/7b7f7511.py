"""The grid is a pattern repeated twice; output one copy (the left half if both halves match, else the top half)."""


def task(img):
    h, w = img.shape
    if w % 2 == 0 and np.array_equal(img[:, :w // 2], img[:, w // 2:]):
        return img[:, :w // 2]
    return img[:h // 2]
