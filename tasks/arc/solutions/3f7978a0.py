"""Crop the rectangle spanned by the two grey (5) columns, including their capping cells above and below."""


def task(img):
    t, l, b, r = bbox(np.where(img == 5, 5, 0), bg=0)
    return img[t - 1:b + 2, l:r + 1]
