"""Replace every grey (5) pixel by a 3x3 ring: grey corners, blue (1) edges, and an empty centre."""


def task(img):
    out = create_img(img.shape)
    stamp = np.array([[5, 1, 5], [1, 0, 1], [5, 1, 5]])
    for r, c in cells_of_color(img, 5):
        out = blit(out, stamp, (r - 1, c - 1), transparent=0)
    return out
