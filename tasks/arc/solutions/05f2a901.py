"""Slide the red (2) shape straight towards the azure (8) square until they touch."""


def task(img):
    red = [o for o in find_objects(img) if o.color == 2][0]
    blue = [o for o in find_objects(img) if o.color == 8][0]
    dr = (blue.top + blue.bottom) - (red.top + red.bottom)
    dc = (blue.left + blue.right) - (red.left + red.right)
    d = (int(np.sign(dr)), 0) if abs(dr) > abs(dc) else (0, int(np.sign(dc)))
    return slide(img, red, d)
