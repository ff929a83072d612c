"""Shift the cross left and down by as many cells as there are grey (5) markers."""


def task(img):
    n = count_color(img, 5)
    row = [r for r in range(img.shape[0]) if (img[r] != 0).sum() == img.shape[1]][0]
    color = img[row, 0]
    col = [c for c in range(img.shape[1]) if (img[:, c] == color).all()][0]
    out = create_img(img.shape)
    draw_vertical_line(out, col - n, color)
    return draw_horizontal_line(out, row + n, color)
