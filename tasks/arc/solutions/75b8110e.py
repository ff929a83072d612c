"""Overlay the four quadrants; where several are coloured, grey (5) wins over magenta (6), magenta over maroon (9), maroon over yellow (4)."""


def task(img):
    h, w = img.shape[0] // 2, img.shape[1] // 2
    quads = [img[r:r + h, c:c + w] for r in (0, h) for c in (0, w)]
    out = create_img((h, w))
    for col in (4, 9, 6, 5):
        for q in quads:
            out[q == col] = col
    return out
