"""The grid is its first third repeated three times across; output that third."""


def task(img):
    return img[:, :img.shape[1] // 3]
