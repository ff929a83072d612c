"""With n filled cells in the 3x3 pattern, lay n copies of it in reading order on a (9-n) x (9-n) grid of 3x3 tiles."""


def task(img):
    n = int((img != 0).sum())
    k = 9 - n
    out = create_img((3 * k, 3 * k))
    for i in range(n):
        out = blit(out, img, (3 * (i // k), 3 * (i % k)))
    return out
