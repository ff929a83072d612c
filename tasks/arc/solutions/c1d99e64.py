"""Paint every all-black row and column red (2)."""


def task(img):
    out = copy(img)
    out[np.all(img == 0, axis=1), :] = 2
    out[:, np.all(img == 0, axis=0)] = 2
    return out
