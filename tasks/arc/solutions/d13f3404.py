"""On a 6x6 canvas, every pixel slides diagonally down-right leaving a trail."""


def task(img):
    out = create_img((6, 6))
    for r, c in zip(*np.nonzero(img)):
        for k in range(6):
            draw_pixel(out, (r + k, c + k), img[r, c])
    return out
