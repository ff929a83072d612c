"""Grow every grey (5) pixel into a 3x3 blue (1) square."""


def task(img):
    out = create_img(img.shape)
    for r, c in cells_of_color(img, 5):
        draw_rectangle(out, (r - 1, c - 1), (r + 1, c + 1), 1)
    return out
