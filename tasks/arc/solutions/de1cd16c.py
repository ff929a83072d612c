"""Output (1x1) the colour of the region that holds the most noise cells (the rarest colour)."""


from collections import Counter


def task(img):
    noise = colors(img)[-1]
    counts = Counter()
    for p in cells_of_color(img, noise):
        near = [img[q] for q in neighbors(img, p, diagonal=True) if img[q] != noise]
        counts[Counter(near).most_common(1)[0][0]] += 1
    return [[counts.most_common(1)[0][0]]]
