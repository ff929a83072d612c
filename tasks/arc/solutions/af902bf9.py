"""Fill with red (2) the inside of every rectangle whose four corners are yellow (4) pixels."""


def task(img):
    pts = set(cells_of_color(img, 4))
    out = copy(img)
    for r1, c1 in pts:
        for r2, c2 in pts:
            if r2 > r1 + 1 and c2 > c1 + 1 and (r1, c2) in pts and (r2, c1) in pts:
                draw_rectangle(out, (r1 + 1, c1 + 1), (r2 - 1, c2 - 1), 2)
    return out
