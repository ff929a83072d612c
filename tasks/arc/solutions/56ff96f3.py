"""Each pair of same-coloured cells becomes a filled rectangle with the pair at opposite corners."""


def task(img):
    out = copy(img)
    for c in colors(img)[1:]:
        pts = cells_of_color(img, c)
        draw_rectangle(out, pts[0], pts[-1], c)
    return out
