"""Draw an azure (8) frame along the border of the grid."""


def task(img):
    out = create_img(img.shape, 8)
    h, w = img.shape
    if h > 2 and w > 2:
        draw_rectangle(out, (1, 1), (h - 2, w - 2), 0)
    return out
