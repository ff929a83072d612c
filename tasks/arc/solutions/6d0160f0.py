"""Copy the compartment holding a yellow (4) cell into the compartment whose position matches the yellow cell's position inside it; clear all other compartments."""


def task(img):
    rows, cols = separators(img, 5)
    rs = [-1] + list(rows) + [img.shape[0]]
    cs = [-1] + list(cols) + [img.shape[1]]
    boxes = [(rs[i] + 1, cs[j] + 1, rs[i + 1] - 1, cs[j + 1] - 1) for i in range(len(rs) - 1) for j in range(len(cs) - 1)]
    out = np.where(img == 5, 5, 0)
    for t, l, b, r in boxes:
        cell = img[t:b + 1, l:r + 1]
        if count_color(cell, 4):
            (y, x), = cells_of_color(cell, 4)
            dt, dl, db, dr = boxes[y * (len(cs) - 1) + x]
            out[dt:db + 1, dl:dr + 1] = cell
    return out
