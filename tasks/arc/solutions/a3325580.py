"""List the colours of the largest objects, left to right, as columns as tall as those objects' size."""


def task(img):
    objs = find_objects(img)
    n = max(o.size for o in objs)
    big = sorted((o for o in objs if o.size == n), key=lambda o: o.left)
    return np.array([[o.color for o in big]] * n)
