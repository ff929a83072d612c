"""Move every block vertically so that its top lines up with the blue (1) block's top."""


def task(img):
    objs = find_objects(img, diagonal=True)
    top = [o for o in objs if o.color == 1][0].top
    out = create_img(img.shape, 0)
    for o in objs:
        out = paint_object(out, o, offset=(top - o.top, 0))
    return out
