"""Read the pixels from left to right and lay them into a 3x3 grid in a snake order (the middle row reversed)."""


def task(img):
    vals = [int(v) for v in transpose(img).ravel() if v != 0]
    out = np.array((vals + [0] * 9)[:9]).reshape(3, 3)
    out[1] = out[1, ::-1]
    return out
