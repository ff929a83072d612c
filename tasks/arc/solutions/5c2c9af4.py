"""The three evenly spaced dots fix a centre and a step: draw concentric square rings around the middle dot at every multiple of the step."""


def task(img):
    pts = cells_of_color(img, colors(img)[1])
    (cr, cc), d = pts[1], abs(pts[1][0] - pts[0][0])
    out = copy(img)
    c = img[cr, cc]
    for k in range(max(img.shape) // d + 1):
        t, l, b, r = cr - k * d, cc - k * d, cr + k * d, cc + k * d
        for p, q in (((t, l), (t, r)), ((b, l), (b, r)), ((t, l), (b, l)), ((t, r), (b, r))):
            draw_line(out, p, q, c)
    return out
