"""Keep only the middle column."""


def task(img):
    out = create_img(img.shape)
    m = img.shape[1] // 2
    out[:, m] = img[:, m]
    return out
