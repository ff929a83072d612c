"""Complete each partial row by following the full row's pattern, translating its colours through the ones the partial row starts with."""


def task(img):
    full = [row for row in img if (row != 0).all()][0]
    out = copy(img)
    for r, row in enumerate(img):
        if row[0] != 0 and (row == 0).any():
            n = int((row != 0).sum())
            m = {full[i]: row[i] for i in range(n)}
            out[r] = [m[v] for v in full]
    return out
