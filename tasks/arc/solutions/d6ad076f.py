"""Bridge the two rectangles with azure (8), one cell narrower on each side than their overlap."""


def task(img):
    a, b = find_objects(img)
    out = copy(img)
    if a.bottom < b.top or b.bottom < a.top:
        a, b = sorted([a, b], key=lambda o: o.top)
        draw_rectangle(out, (a.bottom + 1, max(a.left, b.left) + 1), (b.top - 1, min(a.right, b.right) - 1), 8)
    else:
        a, b = sorted([a, b], key=lambda o: o.left)
        draw_rectangle(out, (max(a.top, b.top) + 1, a.right + 1), (min(a.bottom, b.bottom) - 1, b.left - 1), 8)
    return out
