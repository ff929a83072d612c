"""Fill each blue square outline inside: red (2) when its inner side is even, orange (7) when odd."""


def task(img):
    out = copy(img)
    for o in find_objects(img):
        if o.color == 1 and o.height > 2:
            col = 2 if (o.height - 2) % 2 == 0 else 7
            draw_rectangle(out, (o.top + 1, o.left + 1), (o.bottom - 1, o.right - 1), col)
    return out
