"""From the coloured bottom cell, draw full columns of its colour every second column to the right, joined by grey (5) caps alternately at the top and the bottom."""


def task(img):
    h, w = img.shape
    c = int(np.nonzero(img[-1])[0][0])
    col = img[-1, c]
    out = create_img(img.shape)
    for i, x in enumerate(range(c, w, 2)):
        draw_vertical_line(out, x, col)
        draw_pixel(out, (0 if i % 2 == 0 else h - 1, x + 1), 5)
    return out
