"""Each red cell shoots a red line to the nearest azure line in every direction and marks the hit with an azure 3x3 around a red centre."""


def task(img):
    h, w = img.shape
    out = copy(img)
    for r, c in cells_of_color(img, 2):
        for dr, dc in [(1, 0), (-1, 0), (0, 1), (0, -1)]:
            i, j = r + dr, c + dc
            while 0 <= i < h and 0 <= j < w and img[i, j] != 8:
                i, j = i + dr, j + dc
            if 0 <= i < h and 0 <= j < w:
                draw_line(out, (r, c), (i, j), 2)
                draw_rectangle(out, (i - 1, j - 1), (i + 1, j + 1), 8)
                draw_pixel(out, (i, j), 2)
    return out
