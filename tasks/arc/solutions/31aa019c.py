"""Keep only the pixel whose colour appears once, ringed by red (2); clear everything else."""


def task(img):
    v = [c for c in colors(img) if count_color(img, c) == 1][0]
    (p,) = cells_of_color(img, v)
    out = paint_cells(create_img(img.shape, 0), halo(img, [p], diagonal=True), 2)
    return draw_pixel(out, p, v)
