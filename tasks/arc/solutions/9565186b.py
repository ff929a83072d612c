"""Keep the most common colour and turn every other colour grey (5)."""


def task(img):
    return np.where(img == colors(img)[0], img, 5)
