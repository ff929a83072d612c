"""Mirror the azure shape into the three columns beside it, on the side toward which the yellow shape's top cell points."""


def task(img):
    eight = [o for o in find_objects(img, diagonal=True) if o.color == 8][0]
    four = [o for o in find_objects(img, diagonal=True) if o.color == 4][0]
    top_col = [c for r, c in four.cells if r == four.top][0]
    left = top_col < (four.left + four.right) / 2
    pos = (eight.top, eight.left - eight.width) if left else (eight.top, eight.right + 1)
    return blit(img, flip_lr(eight.sprite), pos, transparent=0)
