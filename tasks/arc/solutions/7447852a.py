"""Fill every third empty region between the red zigzag's teeth (counting from the left, starting with the first) with yellow (4)."""


def task(img):
    regions = sorted(find_objects(np.where(img == 0, 1, 0), bg=0), key=lambda o: o.left)
    out = copy(img)
    for o in regions[::3]:
        out = paint_object(out, o, 4)
    return out
