"""Repeat the nested L-shaped colour layers of the pattern (read down its diagonal) over a 10x10 grid."""


def task(img):
    seq = []
    for i in range(min(img.shape)):
        if img[i, i] == 0:
            break
        seq.append(int(img[i, i]))
    n = 2 * img.shape[0]
    return [[seq[max(r, c) % len(seq)] for c in range(n)] for r in range(n)]
