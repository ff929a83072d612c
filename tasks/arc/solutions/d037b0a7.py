"""Every coloured cell drips downwards, filling the black cells below it in its column."""


def task(img):
    out = copy(img)
    for r in range(1, img.shape[0]):
        out[r] = np.where(out[r] == 0, out[r - 1], out[r])
    return out
