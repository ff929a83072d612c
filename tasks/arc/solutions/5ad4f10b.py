"""Shrink the big blocky shape to 3x3 and paint it in the colour of the scattered noise."""


def task(img):
    objs = find_objects(img)
    big = max(objs, key=lambda o: o.size).color
    noise = [c for c in colors(img) if c not in (0, big)][0]
    shape = crop_to_content(np.where(img == big, 1, 0), bg=0)
    k = shape.shape[0] // 3
    return downscale(shape, k) * noise
