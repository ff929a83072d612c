"""Copy each shape onto the lone cells of the marker colour it contains, mirrored left-right for a red (2) marker and as-is for a green (3) one."""


def task(img):
    out = copy(img)
    objs = find_objects(img, diagonal=True, multicolor=True)
    for m in (2, 3):
        tmpl = [o for o in objs if o.size > 1 and m in o.colors]
        if not tmpl:
            continue
        t = tmpl[0]
        mr, mc = next(p for p in t.cells if img[p] == m)
        for o in objs:
            if o.size == 1 and o.color == m:
                r0, c0 = o.cells[0]
                for r, c in t.cells:
                    dc = c - mc if m == 3 else mc - c
                    draw_pixel(out, (r0 + r - mr, c0 + dc), img[r, c])
    return out
