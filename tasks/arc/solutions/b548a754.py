"""Stretch the two-colour box until it reaches the azure (8) marker pixel, keeping its frame and filling."""


def task(img):
    (my, mx), = cells_of_color(img, 8)
    t, l, b, r = bbox(replace(img, 8, 0), bg=0)
    frame, inner = img[t, l], img[t + 1, l + 1]
    t, l, b, r = min(t, my), min(l, mx), max(b, my), max(r, mx)
    out = create_img(img.shape)
    draw_rectangle(out, (t, l), (b, r), frame)
    return draw_rectangle(out, (t + 1, l + 1), (b - 1, r - 1), inner)
