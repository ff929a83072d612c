"""Continue the nested lines outwards and inwards: a cell gets the lines' colour when its chessboard distance to them is a multiple of their spacing, else grey (5)."""


def task(img):
    color = [c for c in colors(img) if c != 0][0]
    objs = find_objects(img, diagonal=True, bg=0)
    pts = np.array(cells_of_color(img, color))
    def dist(cells, r, c):
        return int(np.max(np.abs(np.array(cells) - (r, c)), axis=1).min())
    step = min(dist(a.cells, r, c) for a in objs for b in objs if a is not b for r, c in b.cells)
    h, w = img.shape
    out = create_img((h, w), 5)
    for r in range(h):
        for c in range(w):
            if dist(pts, r, c) % step == 0:
                out[r, c] = color
    return out
