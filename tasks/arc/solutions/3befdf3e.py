"""Swap the square's frame and core colours, then grow a bar of the (old) core colour's width on each side of the square in the old frame colour."""

import math


def task(img):
    out = copy(img)
    for o in find_objects(img, multicolor=True):
        a, b = o.colors
        outer = img[o.top, o.left]
        inner = b if outer == a else a
        k = int(round(math.sqrt(count_color(o.sprite, inner))))
        t, l, bt, r = o.top, o.left, o.bottom, o.right
        draw_rectangle(out, (t - k, l), (t - 1, r), outer)
        draw_rectangle(out, (bt + 1, l), (bt + k, r), outer)
        draw_rectangle(out, (t, l - k), (bt, l - 1), outer)
        draw_rectangle(out, (t, r + 1), (bt, r + k), outer)
        out[t:bt + 1, l:r + 1] = recolor(o.sprite, {outer: inner, inner: outer})
    return out
