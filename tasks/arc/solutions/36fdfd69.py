"""Each cluster of red (2) cells (linked when at most two cells apart) fills its bounding box: non-red cells inside become yellow (4)."""


def task(img):
    left = set(cells_of_color(img, 2))
    out = copy(img)
    while left:
        group, todo = [], [left.pop()]
        while todo:
            r, c = todo.pop()
            group.append((r, c))
            near = [p for p in left if abs(p[0] - r) <= 2 and abs(p[1] - c) <= 2]
            left -= set(near)
            todo += near
        rs, cs = [p[0] for p in group], [p[1] for p in group]
        box = out[min(rs):max(rs) + 1, min(cs):max(cs) + 1]
        box[box != 2] = 4
    return out
