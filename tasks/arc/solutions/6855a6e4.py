"""Mirror each grey shape across the back bar of its nearest red bracket, moving it inside the brackets."""


def task(img):
    out = replace(img, 5, 0)
    brackets = []
    for o in find_objects(img):
        if o.color == 2:
            rows = o.mask.sum(axis=1)
            cols = o.mask.sum(axis=0)
            if o.width > o.height:
                brackets.append((0, o.top + int(np.argmax(rows))))
            else:
                brackets.append((1, o.left + int(np.argmax(cols))))
    for o in find_objects(img):
        if o.color != 5:
            continue
        centre = ((o.top + o.bottom) / 2, (o.left + o.right) / 2)
        axis, line = min(brackets, key=lambda b: abs(centre[b[0]] - b[1]))
        for r, c in o.cells:
            p = (2 * line - r, c) if axis == 0 else (r, 2 * line - c)
            draw_pixel(out, p, 5)
    return out
