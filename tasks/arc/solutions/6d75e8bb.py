"""Fill the empty cells inside the azure shape's bounding box with red (2)."""


def task(img):
    t, l, b, r = bbox(img)
    out = copy(img)
    box = out[t:b + 1, l:r + 1]
    box[box == 0] = 2
    return out
