"""When two equal marks sit at the same spot in the outer blocks of a row or column of blocks, copy the mark into the block between them."""


def task(img):
    out = copy(img)
    h, w = img.shape
    for r, c in zip(*np.nonzero((img != 0) & (img != 1))):
        if c + 6 < w and img[r, c + 6] == img[r, c]:
            out[r, c + 3] = img[r, c]
        if r + 6 < h and img[r + 6, c] == img[r, c]:
            out[r + 3, c] = img[r, c]
    return out
