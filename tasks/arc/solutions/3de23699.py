"""Crop the area inside the four corner markers and recolour the shape there with the markers' colour."""


def task(img):
    objs = find_objects(img)
    corner = min(objs, key=lambda o: o.size)
    pts = cells_of_color(img, corner.color)
    (t, l), (b, r) = pts[0], pts[-1]
    inner = img[t + 1:b, l + 1:r]
    return np.where(inner != 0, corner.color, 0)
