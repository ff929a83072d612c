"""Turn each colour into a column as tall as its cell count, columns ordered from most to least frequent."""


def task(img):
    cs = colors(img)
    n = [count_color(img, c) for c in cs]
    out = create_img((max(n), len(cs)))
    for j, (c, k) in enumerate(zip(cs, n)):
        out[:k, j] = c
    return out
