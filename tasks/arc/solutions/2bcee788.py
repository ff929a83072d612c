"""Mirror the shape across its edge where the red (2) marker sits (the mirror covers the marker), on a green (3) background."""


def task(img):
    main = [o for o in find_objects(img) if o.color != 2][0]
    red = [o for o in find_objects(img) if o.color == 2][0]
    out = create_img(img.shape, 3)
    out = paint_object(out, main)
    for r, c in main.cells:
        if red.left > main.right:
            p = (r, 2 * main.right + 1 - c)
        elif red.right < main.left:
            p = (r, 2 * main.left - 1 - c)
        elif red.top > main.bottom:
            p = (2 * main.bottom + 1 - r, c)
        else:
            p = (2 * main.top - 1 - r, c)
        draw_pixel(out, p, main.color)
    return out
