"""Bridge each pair of red (2) blocks that face each other horizontally, with nothing between them, with maroon (9) over their shared rows."""


def task(img):
    objs = find_objects(img, bg=0)
    out = copy(img)
    for a in objs:
        for b in objs:
            top, bot = max(a.top, b.top), min(a.bottom, b.bottom)
            if a.right + 1 >= b.left or top > bot:
                continue
            between = [c for c in objs if a.right < c.left and c.right < b.left and c.top <= bot and c.bottom >= top]
            if not between:
                out[top:bot + 1, a.right + 1:b.left] = 9
    return out
