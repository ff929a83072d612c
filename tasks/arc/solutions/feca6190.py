"""Shoot the row up-right diagonally into a square whose side is five times its number of coloured cells."""


def task(img):
    n = 5 * int((img != 0).sum())
    out = create_img((n, n))
    for j, v in enumerate(img[0]):
        for i in range(n):
            if v:
                draw_pixel(out, (n - 1 - i, j + i), v)
    return out
