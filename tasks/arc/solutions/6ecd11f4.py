"""Shrink the big one-colour shape to the size of the multicoloured square and keep the square's colours only where the shape has cells."""


def task(img):
    objs = find_objects(img, diagonal=True, multicolor=True)
    block = [o for o in objs if len(o.colors) > 1][0].sprite
    shape = max([o for o in objs if len(o.colors) == 1], key=lambda o: o.size)
    mask = downscale(shape.mask.astype(int), shape.height // block.shape[0])
    return np.where(mask == 1, block, 0)
