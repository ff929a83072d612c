"""Move the red shape so it sits just inside the frame marked by the four green corner pixels."""


def task(img):
    pts = cells_of_color(img, 3)
    r0, c0 = min(pts)
    shape = crop_to_content(np.where(img == 2, 2, 0), bg=0)
    out = replace(img, 2, 0)
    return blit(out, shape, (r0 + 1, c0 + 1), transparent=0)
