"""Replace the red pixel by its four diagonal neighbours: green (3) top-left, magenta (6) top-right, azure (8) bottom-left, orange (7) bottom-right."""


def task(img):
    r, c = cells_of_color(img, 2)[0]
    out = create_img(img.shape)
    for (dr, dc), col in [((-1, -1), 3), ((-1, 1), 6), ((1, -1), 8), ((1, 1), 7)]:
        draw_pixel(out, (r + dr, c + dc), col)
    return out
