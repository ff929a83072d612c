"""Each corner pixel draws nested L-shaped stripes (every other Chebyshev ring) over the cells strictly nearest to it (Manhattan distance)."""


def task(img):
    rr, cc = np.indices(img.shape)
    seeds = [(r, c, img[r, c]) for r, c in zip(*np.nonzero(img))]
    man = np.array([abs(rr - r) + abs(cc - c) for r, c, _ in seeds])
    cheb = np.array([np.maximum(abs(rr - r), abs(cc - c)) for r, c, _ in seeds])
    near = man.argmin(axis=0)
    unique = (man == man.min(axis=0)).sum(axis=0) == 1
    even = np.take_along_axis(cheb, near[None], 0)[0] % 2 == 0
    cols = np.array([s[2] for s in seeds])[near]
    return np.where(unique & even, cols, 0)
