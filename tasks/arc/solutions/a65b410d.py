"""Above the red bar build a staircase of green (3) rows each one longer, below it blue (1) rows each one shorter."""


def task(img):
    r = cells_of_color(img, 2)[0][0]
    n = count_color(img, 2)
    out = copy(img)
    for y in range(img.shape[0]):
        k = n + (r - y)
        if y != r and k > 0:
            out[y, :min(k, img.shape[1])] = 3 if y < r else 1
    return out
