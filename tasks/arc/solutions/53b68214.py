"""Continue the pattern, which repeats every few rows with a fixed sideways shift, down to a 10x10 grid."""


def task(img):
    h, w = img.shape
    def shifted(row, dx):
        out = np.zeros_like(row)
        if dx >= 0:
            out[dx:] = row[:w - dx]
        else:
            out[:dx] = row[-dx:]
        return out
    p, dx = next((p, dx) for p in range(1, h) for dx in range(-w + 1, w)
                 if all((img[r] == shifted(img[r - p], dx)).all() for r in range(p, h)))
    rows = [img[r] for r in range(h)]
    while len(rows) < 10:
        rows.append(shifted(rows[-p], dx))
    return np.array(rows)
