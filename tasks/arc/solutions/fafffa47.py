"""Mark red (2) the cells that are empty in both the top and the bottom half."""


def task(img):
    h = img.shape[0] // 2
    return np.where((img[:h] == 0) & (img[h:] == 0), 2, 0)
