"""Put red (2) wherever a column marked grey (5) in the top row meets a row marked grey in the last column."""


def task(img):
    out = copy(img)
    for r in np.nonzero(img[:, -1] == 5)[0]:
        for c in np.nonzero(img[0] == 5)[0]:
            if img[r, c] == 0:
                out[r, c] = 2
    return out
