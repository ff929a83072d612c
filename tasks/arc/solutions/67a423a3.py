"""Draw a yellow (4) ring around the crossing of the full vertical and horizontal lines."""


def task(img):
    r = [i for i in range(img.shape[0]) if (img[i] != 0).all()][0]
    c = [j for j in range(img.shape[1]) if (img[:, j] != 0).all()][0]
    out = copy(img)
    draw_rectangle(out, (r - 1, c - 1), (r + 1, c + 1), 4)
    out[r, c] = img[r, c]
    return out
