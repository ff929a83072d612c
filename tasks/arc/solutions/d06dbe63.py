"""Draw grey (5) staircases from the azure (8) cell: up two, right two towards the top, down two, left two towards the bottom."""


def task(img):
    out = copy(img)
    r0, c0 = cells_of_color(img, 8)[0]
    for sign in (-1, 1):
        r, c = r0, c0
        for i in range(30):
            steps = [(sign, 0), (sign, 0), (0, -sign), (0, -sign)]
            r, c = r + steps[i % 4][0], c + steps[i % 4][1]
            draw_pixel(out, (r, c), 5)
    return out
