"""Drop the azure (8) cells' lines across the grid, shifting them one step away from the red (2) side at every red marker."""


def task(img):
    def solve(g):
        out = copy(g)
        shift = 0
        for i in range(1, g.shape[0]):
            shift += int(g[i, 0] == 2)
            for c in np.nonzero(g[0] == 8)[0]:
                draw_pixel(out, (i, c + shift), 8)
        return out
    for k in range(4):
        for f in (False, True):
            g = rotate(img, k)
            g = flip_lr(g) if f else g
            if (g[0] == 8).any() and (g[:, 0] == 2).any():
                out = solve(g)
                out = flip_lr(out) if f else out
                return rotate(out, -k)
