"""Draw an azure (8) diagonal as long as the number of objects."""


def task(img):
    n = len(find_objects(img, bg=0))
    return np.eye(n, dtype=int) * 8
