"""Below each 2x2 block draw a green (3) bar as wide as the block and as tall as its number of colours."""


def task(img):
    out = copy(img)
    for o in find_objects(img, multicolor=True, bg=0):
        n = len(set(o.sprite.ravel().tolist()))
        draw_rectangle(out, (o.bottom + 1, o.left), (o.bottom + n, o.right), 3)
    return out
