"""Each shape has marker pixels around one corner cell; mirror the shape towards every marker (across a row, a column, or both) in that marker's colour."""


def task(img):
    out = copy(img)
    for o in find_objects(img, diagonal=True, multicolor=True):
        vals = [img[p] for p in o.cells]
        main = max(set(vals), key=vals.count)
        body = [p for p in o.cells if img[p] == main]
        marks = [p for p in o.cells if img[p] != main]
        if not marks:
            continue
        cr, cc = min(body, key=lambda p: sum(max(abs(p[0] - m[0]), abs(p[1] - m[1])) for m in marks))
        for mr, mc in marks:
            dr, dc = mr - cr, mc - cc
            for r, c in body:
                draw_pixel(out, (2 * cr + dr - r if dr else r, 2 * cc + dc - c if dc else c), img[mr, mc])
    return out
