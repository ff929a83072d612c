"""Wherever red (2) blocks repeat the template's red markers at some scale, draw the template's blue (1) part around them at that scale."""


def task(img):
    objs = find_objects(img, diagonal=True, multicolor=True)
    tmpl = [o for o in objs if 1 in o.colors][0]
    marks = [p for p in tmpl.cells if img[p] == 2]
    blues = [p for p in tmpl.cells if img[p] == 1]
    blocks = {(o.top, o.left, o.height) for o in objs if o is not tmpl}
    out = copy(img)
    m0 = marks[0]
    for t, l, s in sorted(blocks):
        want = [(t + (m[0] - m0[0]) * s, l + (m[1] - m0[1]) * s, s) for m in marks]
        if all(b in blocks for b in want):
            blocks -= set(want)
            for r, c in blues:
                y, x = t + (r - m0[0]) * s, l + (c - m0[1]) * s
                draw_rectangle(out, (y, x), (y + s - 1, x + s - 1), 1)
    return out
