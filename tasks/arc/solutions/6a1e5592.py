"""Move the grey pieces up (without turning) so that together they exactly fill the holes in the red wall, and paint them blue (1)."""


def task(img):
    h, w = img.shape
    wall = max(r for r, c in cells_of_color(img, 2))
    holes = [(r, c) for r in range(wall + 1) for c in range(w) if img[r, c] == 0]
    pieces = [o for o in find_objects(img) if o.color == 5]

    def fits(cells):
        return all(0 <= r < h and 0 <= c < w and img[r, c] != 2 and (r > wall or img[r, c] == 0) for r, c in cells)

    cands = []
    for o in pieces:
        rel = [(r - o.top, c - o.left) for r, c in o.cells]
        opts = []
        for y in range(wall + 1):
            for x in range(w - o.width + 1):
                cells = [(y + r, x + c) for r, c in rel]
                if fits(cells) and not fits([(r - 1, c) for r, c in cells]):
                    opts.append(set(cells))
        cands.append(opts)

    def solve(i, used):
        if i == len(pieces):
            return [] if all(p in used for p in holes) else None
        for cells in cands[i]:
            if not cells & used:
                rest = solve(i + 1, used | cells)
                if rest is not None:
                    return [cells] + rest
        return None

    out = replace(img, 5, 0)
    for cells in solve(0, set()) or []:
        out = paint_cells(out, list(cells), 1)
    return out
