"""Each azure dot shoots an azure line to the red bar beside it and turns yellow; the matching rows of the other red bar shoot lines across the grid."""


def task(img):
    out = copy(img)
    w = img.shape[1]
    bars = [o for o in find_objects(img) if o.color == 2]
    dots = cells_of_color(img, 8)
    src = [b for b in bars if any(b.top <= r <= b.bottom for r, c in dots)][0]
    dst = [b for b in bars if b is not src][0]
    for r, c in dots:
        draw_line(out, (r, c), (r, src.left + (1 if src.left < c else -1)), 8)
        draw_pixel(out, (r, c), 4)
        rr = dst.top + r - src.top
        draw_line(out, (rr, dst.left + (1 if dst.left == 0 else -1)), (rr, w - 1 if dst.left == 0 else 0), 8)
    return out
