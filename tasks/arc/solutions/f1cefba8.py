"""Each notch of the inner colour in the frame becomes a line: frame colour across the inner block, inner colour outside the whole rectangle."""


def task(img):
    t, l, b, r = bbox(img)
    frame = img[t, l]
    inner = [c for c in colors(crop(img, (t, l), (b, r))) if c != frame][0]
    mask = img == inner
    core_rows = [i for i in range(img.shape[0]) if 2 * mask[i].sum() > mask.sum(axis=1).max()]
    core_cols = [j for j in range(img.shape[1]) if 2 * mask[:, j].sum() > mask.sum(axis=0).max()]
    r0, r1, c0, c1 = core_rows[0], core_rows[-1], core_cols[0], core_cols[-1]
    out = copy(img)
    for i, j in cells_of_color(img, inner):
        if r0 <= i <= r1 and c0 <= j <= c1:
            continue
        out[i, j] = frame
        if not r0 <= i <= r1:
            out[r0:r1 + 1, j] = np.where(img[r0:r1 + 1, j] == inner, frame, img[r0:r1 + 1, j])
            out[:t, j] = inner
            out[b + 1:, j] = inner
        else:
            out[i, c0:c1 + 1] = np.where(img[i, c0:c1 + 1] == inner, frame, img[i, c0:c1 + 1])
            out[i, :l] = inner
            out[i, r + 1:] = inner
    return out
