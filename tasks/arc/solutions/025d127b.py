"""Shift every row of each shape except its bottom row one cell right, never past the shape's right edge."""


def task(img):
    out = create_img(img.shape, 0)
    for o in find_objects(img, diagonal=True):
        for r, c in o.cells:
            nc = c if r == o.bottom else min(c + 1, o.right)
            draw_pixel(out, (r, nc), o.color)
    return out
