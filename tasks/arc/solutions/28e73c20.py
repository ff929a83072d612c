"""Draw a green (3) clockwise square spiral from the top-left corner, leaving one empty cell between its turns."""


def task(img):
    h, w = img.shape
    out = create_img(img.shape, 0)
    def free(r, c):
        return 0 <= r < h and 0 <= c < w and out[r, c] == 0
    def ok(p, d):
        a, b = (p[0] + d[0], p[1] + d[1]), (p[0] + 2 * d[0], p[1] + 2 * d[1])
        return free(*a) and (not (0 <= b[0] < h and 0 <= b[1] < w) or out[b] == 0)
    p, d = (0, 0), (0, 1)
    out[p] = 3
    while True:
        if not ok(p, d):
            d = (d[1], -d[0])
            if not ok(p, d):
                break
        p = (p[0] + d[0], p[1] + d[1])
        out[p] = 3
    return out
