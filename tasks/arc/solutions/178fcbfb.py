"""Draw a full column through each red (2) pixel, then full rows through each blue (1) and green (3) pixel on top."""


def task(img):
    out = create_img(img.shape, 0)
    for r, c in cells_of_color(img, 2):
        draw_vertical_line(out, c, 2)
    for v in (1, 3):
        for r, c in cells_of_color(img, v):
            draw_horizontal_line(out, r, v)
    return out
