"""Stamp the small pattern's 3x3 core on every marker in the big rectangles, drawing its arms as lines across the marker's rectangle; erase the pattern."""


def task(img):
    bg = background(img)
    objs = find_objects(img, multicolor=True)
    tpl = min(objs, key=lambda o: o.size)
    cr, cc = (tpl.top + tpl.bottom) // 2, (tpl.left + tpl.right) // 2
    mark = img[cr, cc]
    core = crop(img, (cr - 1, cc - 1), (cr + 1, cc + 1))
    out = paint_cells(img, tpl, bg)
    for rect in objs:
        if rect is tpl:
            continue
        for r, c in [p for p in rect.cells if img[p] == mark]:
            for dr, dc in ((1, 0), (0, 1)):
                p = (cr + 2 * dr, cc + 2 * dc)
                if p in tpl.cells:
                    for q in rect.cells:
                        if (dr and q[1] == c) or (dc and q[0] == r):
                            out[q] = img[p]
        for r, c in [p for p in rect.cells if img[p] == mark]:
            out = blit(out, core, (r - 1, c - 1), transparent=bg)
    return out
