"""Shoot diagonal lines in all four directions from each marker pixel; along them each area takes the colour of the marker found in an area of its kind."""


def task(img):
    main = colors(img)[:2]
    marks = [(r, c) for r, c in zip(*np.nonzero(~np.isin(img, main)))]
    paint = {}
    for p in marks:
        around = [img[q] for q in neighbors(img, p) if img[q] in main]
        paint[max(set(around), key=around.count)] = img[p]
    out = copy(img)
    h, w = img.shape
    for r0, c0 in marks:
        for dr, dc in [(1, 1), (1, -1), (-1, 1), (-1, -1)]:
            r, c = r0 + dr, c0 + dc
            while 0 <= r < h and 0 <= c < w:
                if img[r, c] in paint:
                    out[r, c] = paint[img[r, c]]
                r, c = r + dr, c + dc
    return out
