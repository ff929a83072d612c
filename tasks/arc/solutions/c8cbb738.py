"""Each colour marks the four corners of a shape; centre all the shapes on one canvas as large as the biggest."""


def task(img):
    bg = background(img)
    shapes = []
    for col in colors(img)[1:]:
        pts = np.array(cells_of_color(img, col))
        shapes.append((col, pts - pts.min(axis=0)))
    H = max(p[:, 0].max() for _, p in shapes) + 1
    W = max(p[:, 1].max() for _, p in shapes) + 1
    out = create_img((H, W), bg)
    for col, p in shapes:
        dr, dc = (H - 1 - p[:, 0].max()) // 2, (W - 1 - p[:, 1].max()) // 2
        for r, c in p:
            out[r + dr, c + dc] = col
    return out
