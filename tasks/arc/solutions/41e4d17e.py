"""Draw magenta (6) lines across the grid through the centre row and column of every blue (1) square, without covering the squares."""


def task(img):
    out = copy(img)
    for o in find_objects(img, bg=8):
        out[o.top + o.height // 2, :] = 6
        out[:, o.left + o.width // 2] = 6
    return np.where(img == 1, 1, out)
