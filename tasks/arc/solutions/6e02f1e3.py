"""Draw a grey (5) line by the number of colours: one colour the top row, two the main diagonal, three the anti-diagonal."""


def task(img):
    n = len(colors(img))
    out = create_img(img.shape)
    if n == 1:
        return draw_horizontal_line(out, 0, 5)
    if n == 2:
        return draw_line(out, (0, 0), (2, 2), 5)
    return draw_line(out, (0, 2), (2, 0), 5)
