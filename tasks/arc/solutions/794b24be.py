"""Count the blue cells and paint that many red (2) cells in the order: top row left to right, then the centre."""


def task(img):
    order = [(0, 0), (0, 1), (0, 2), (1, 1)]
    out = create_img(img.shape)
    for p in order[:count_color(img, 1)]:
        draw_pixel(out, p, 2)
    return out
