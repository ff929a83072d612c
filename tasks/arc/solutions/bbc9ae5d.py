"""Stack rows below the bar, each one cell longer, until there are half as many rows as columns."""


def task(img):
    n = count_color(img, img[0, 0])
    w = img.shape[1]
    out = create_img((w // 2, w))
    for i in range(w // 2):
        out[i, :n + i] = img[0, 0]
    return out
