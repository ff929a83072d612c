"""Fill with yellow (4) every rectangular room of the grey (5) network: a background rectangle whose surrounding frame is grey with clean corners (no line running on past them)."""


def task(img):
    h, w = img.shape
    out = copy(img)
    for obj in find_objects(img, bg=5):
        if obj.color != 0 or not obj.mask.all():
            continue
        t, l, b, r = obj.top - 1, obj.left - 1, obj.bottom + 1, obj.right + 1
        ring = halo(img, obj, diagonal=True)
        corners = [(i, j) for i in (t, b) for j in (l, r) if 0 <= i < h and 0 <= j < w]
        clean = all(sum(img[q] == 5 for q in neighbors(img, p)) == 2 for p in corners)
        if (img[ring] == 5).all() and clean:
            out = paint_object(out, obj, 4)
    return out
