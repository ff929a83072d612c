"""Overlay the four overlapping 3x3 corner windows of the grid."""


def task(img):
    h, w = img.shape
    out = create_img((3, 3))
    for r in (0, h - 3):
        for c in (0, w - 3):
            out = np.maximum(out, img[r:r + 3, c:c + 3])
    return out
