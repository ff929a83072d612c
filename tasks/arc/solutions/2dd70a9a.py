"""Extend the green (3) segment along its axis; at each azure (8) wall turn towards the red (2) segment, until it reaches red."""


def task(img):
    h, w = img.shape
    g, red = cells_of_color(img, 3), cells_of_color(img, 2)
    tr, tc = red[0]
    def walk(p, d):
        path = []
        for _ in range(h * w):
            q = (p[0] + d[0], p[1] + d[1])
            if 0 <= q[0] < h and 0 <= q[1] < w and img[q] == 2:
                return path
            if not (0 <= q[0] < h and 0 <= q[1] < w) or img[q] != 0:
                d = (int(np.sign(tr - p[0])), 0) if d[0] == 0 else (0, int(np.sign(tc - p[1])))
                q = (p[0] + d[0], p[1] + d[1])
                if d == (0, 0) or not (0 <= q[0] < h and 0 <= q[1] < w) or img[q] not in (0, 2):
                    return None
                if img[q] == 2:
                    return path
            path.append(q)
            p = q
        return None
    (a, b) = g[0], g[-1]
    d = (int(np.sign(b[0] - a[0])), int(np.sign(b[1] - a[1])))
    paths = [x for x in (walk(b, d), walk(a, (-d[0], -d[1]))) if x is not None]
    return paint_cells(img, min(paths, key=len), 3)
