"""Slide the green (3) shape against the red (2) line and put an azure (8) line along the shape's far side."""


def task(img):
    shape = find_objects(np.where(img == 3, 3, 0), diagonal=True, bg=0)[0]
    t, l, b, r = bbox(np.where(img == 2, 2, 0), bg=0)
    vertical = l == r
    if vertical:
        d = (0, 1) if l > shape.right else (0, -1)
    else:
        d = (1, 0) if t > shape.bottom else (-1, 0)
    out = slide(img, shape, d, bg=0)
    st, sl, sb, sr = bbox(np.where(out == 3, 3, 0), bg=0)
    if vertical:
        draw_vertical_line(out, sl - 1 if d[1] > 0 else sr + 1, 8)
    else:
        draw_horizontal_line(out, st - 1 if d[0] > 0 else sb + 1, 8)
    return out
