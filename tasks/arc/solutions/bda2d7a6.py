"""Shift the colours of the nested square rings one ring inwards; the outermost ring takes the innermost colour."""


def task(img):
    seq = []
    for i in range(img.shape[0] // 2):
        if img[i, i] not in seq:
            seq.append(int(img[i, i]))
    return recolor(img, {c: seq[i - 1] for i, c in enumerate(seq)})
