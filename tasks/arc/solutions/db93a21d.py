"""Each maroon (9) square casts a blue (1) shadow down to the edge and gets a green (3) border half its side thick; borders cover shadows."""


def task(img):
    out = copy(img)
    squares = find_objects(img, bg=0)
    for o in squares:
        out[o.bottom + 1:, o.left:o.right + 1] = 1
    for o in squares:
        k = max(o.height, o.width) // 2
        draw_rectangle(out, (o.top - k, o.left - k), (o.bottom + k, o.right + k), 3)
    return np.where(img == 9, 9, out)
