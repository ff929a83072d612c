"""Answer with the colour of the pixel enclosed by a 3x3 ring of another colour."""


def task(img):
    for r in range(1, img.shape[0] - 1):
        for c in range(1, img.shape[1] - 1):
            ring = [img[q] for q in neighbors(img, (r, c), diagonal=True)]
            if img[r, c] != 0 and len(set(ring)) == 1 and ring[0] not in (0, img[r, c]):
                return [[img[r, c]]]
