"""Red (2) cells on the bottom row shoot upwards; a grey (5) cell in the way makes the line step one column right and go on."""


def task(img):
    out = copy(img)
    h = img.shape[0]
    for c in np.nonzero(img[h - 1] == 2)[0]:
        for r in range(h - 1, -1, -1):
            if img[r, c] == 5:
                c += 1
                out[r + 1, c] = 2
            out[r, c] = 2
    return out
