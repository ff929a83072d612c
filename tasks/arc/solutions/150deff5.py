"""Cut the grey (5) shape into 2x2 squares, recoloured azure (8), and straight 1x3 bars, recoloured red (2)."""


def task(img):
    pieces = [([(0, 0), (0, 1), (1, 0), (1, 1)], 8), ([(0, 0), (0, 1), (0, 2)], 2), ([(0, 0), (1, 0), (2, 0)], 2)]
    out = copy(img)
    def solve():
        left = cells_of_color(out, 5)
        if not left:
            return True
        r, c = left[0]
        for cells, col in pieces:
            pts = [(r + dr, c + dc) for dr, dc in cells]
            if all(p[0] < out.shape[0] and p[1] < out.shape[1] and out[p] == 5 for p in pts):
                for p in pts:
                    out[p] = col
                if solve():
                    return True
                for p in pts:
                    out[p] = 5
        return False
    solve()
    return out
