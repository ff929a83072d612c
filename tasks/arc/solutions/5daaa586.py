"""Crop the rectangle framed by the four coloured lines; inside it every dot draws a line towards the frame line of its own colour."""


def task(img):
    rows = [r for r in range(img.shape[0]) if img[r].all()]
    cols = [c for c in range(img.shape[1]) if img[:, c].all()]
    out = img[rows[0]:rows[-1] + 1, cols[0]:cols[-1] + 1].copy()
    h, w = out.shape
    sides = {colors(out[:1])[0]: (0, None), colors(out[-1:])[0]: (h - 1, None),
             colors(out[:, :1])[0]: (None, 0), colors(out[:, -1:])[0]: (None, w - 1)}
    inner = out[1:-1, 1:-1]
    for y, x in zip(*np.nonzero(inner)):
        r, c = y + 1, x + 1
        tr, tc = sides[int(out[r, c])]
        draw_line(out, (r, c), (r if tr is None else tr, c if tc is None else tc), out[r, c])
    return out
