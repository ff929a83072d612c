"""Grow every two-colour piece into a copy of the template shape at the piece's scale: its anchor colour stays, the template's body takes the piece's other colour."""

import math


def task(img):
    objs = find_objects(img, diagonal=True, multicolor=True)
    def scale(o):
        return int(round(math.sqrt(min(count_color(o.sprite, c) for c in o.colors))))
    tmpl = max(objs, key=lambda o: o.size / scale(o) ** 2)
    out = copy(img)
    for o in objs:
        if o is tmpl:
            continue
        anchor = [c for c in o.colors if c in tmpl.colors][0]
        body = [c for c in o.colors if c != anchor][0]
        s = scale(o)
        ar, ac = [p for p in o.cells if img[p] == anchor][0]
        tr, tc = [p for p in tmpl.cells if img[p] == anchor][0]
        for r, c in tmpl.cells:
            if img[r, c] != anchor:
                y, x = ar + (r - tr) * s, ac + (c - tc) * s
                draw_rectangle(out, (y, x), (y + s - 1, x + s - 1), body)
    return out
