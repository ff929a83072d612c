"""Grow each small cross: its arms extend to length 2 and its centre colour extends 2 cells along each diagonal."""


def task(img):
    out = copy(img)
    for o in find_objects(img, multicolor=True):
        r, c = o.top + 1, o.left + 1
        arm, mid = img[r - 1, c], img[r, c]
        for k in (1, 2):
            for dr, dc in ((0, 1), (0, -1), (1, 0), (-1, 0)):
                draw_pixel(out, (r + k * dr, c + k * dc), arm)
            for dr, dc in ((1, 1), (1, -1), (-1, 1), (-1, -1)):
                draw_pixel(out, (r + k * dr, c + k * dc), mid)
    return out
