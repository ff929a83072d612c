"""Recolour the tallest bar blue (1) and the shortest red (2); remove the others."""


def task(img):
    bars = sorted(find_objects(img), key=lambda o: o.size)
    out = create_img(img.shape)
    out = paint_object(out, bars[-1], 1)
    return paint_object(out, bars[0], 2)
