"""Reverse the order of the colours of the concentric rings (outermost swaps with innermost, and so on)."""


def task(img):
    ring = [int(img[i, i]) for i in range(min(img.shape) // 2)]
    return recolor(img, dict(zip(ring, ring[::-1])))
