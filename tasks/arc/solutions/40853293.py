"""Join each pair of same-coloured cells with a line of their colour; vertical lines cross over horizontal ones."""


def task(img):
    out = copy(img)
    pairs = [cells_of_color(img, c) for c in colors(img)[1:]]
    for vertical in (False, True):
        for p, q in pairs:
            if (p[1] == q[1]) == vertical:
                draw_line(out, p, q, img[p])
    return out
