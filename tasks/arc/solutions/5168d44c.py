"""Move the red (2) box two cells along the green dotted line (rightwards or downwards)."""


def task(img):
    box = [o for o in find_objects(img) if o.color == 2][0]
    greens = cells_of_color(img, 3)
    horizontal = len({r for r, c in greens}) == 1
    out = replace(img, 2, 0)
    return paint_object(out, box, offset=(0, 2) if horizontal else (2, 0))
