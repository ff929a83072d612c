"""Output a block of the background colour sized by how many bands the separator lines cut the grid into (rows x columns)."""


def task(img):
    rows, cols = separators(img)
    def bands(seps, n):
        return sum(1 for i in range(n) if i not in seps and (i == 0 or i - 1 in seps))
    return create_img((bands(rows, img.shape[0]), bands(cols, img.shape[1])), background(img))
