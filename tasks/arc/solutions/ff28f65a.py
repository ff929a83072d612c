"""Count the red squares and mark that many cells blue (1) on a 3x3 in the order of a checkerboard's dark cells."""


def task(img):
    n = len(find_objects(img))
    out = create_img((3, 3))
    for p in [(0, 0), (0, 2), (1, 1), (2, 0), (2, 2)][:n]:
        draw_pixel(out, p, 1)
    return out
