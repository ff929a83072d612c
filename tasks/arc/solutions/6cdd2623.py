"""Join each pair of cells of the rarest colour facing each other on opposite borders with a full line; erase everything else."""


def task(img):
    h, w = img.shape
    col = colors(img)[-1]
    out = create_img((h, w))
    for r in range(h):
        if img[r, 0] == col and img[r, w - 1] == col:
            draw_horizontal_line(out, r, col)
    for c in range(w):
        if img[0, c] == col and img[h - 1, c] == col:
            draw_vertical_line(out, c, col)
    return out
