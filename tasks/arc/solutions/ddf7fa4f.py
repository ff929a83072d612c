"""Recolour each grey (5) block to the colour of the marker in the top row above it."""


def task(img):
    out = copy(img)
    for obj in find_objects(img):
        if obj.color == 5:
            marks = [v for v in img[0, obj.left:obj.right + 1] if v]
            out = paint_object(out, obj, marks[0])
    return out
