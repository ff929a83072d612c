"""Copy the multicoloured shape so that it is centred on the grey (5) marker, which disappears."""


def task(img):
    (r, c), = cells_of_color(img, 5)
    shape = [o for o in find_objects(img, multicolor=True, diagonal=True) if o.color != 5 or len(o.colors) > 1][0]
    out = replace(img, 5, 0)
    return blit(out, shape.sprite, (r - shape.height // 2, c - shape.width // 2), transparent=0)
