"""Remove the noise from the striped grid: every stripe takes its majority colour."""


def task(img):
    def by_rows(g):
        return np.array([[np.bincount(row).argmax()] * len(row) for row in g])
    a = by_rows(img)
    b = transpose(by_rows(transpose(img)))
    return a if (a != img).sum() <= (b != img).sum() else b
