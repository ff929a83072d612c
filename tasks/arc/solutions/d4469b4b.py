"""The colour names a grey (5) 3x3 symbol: red (2) a T, blue (1) a plus, green (3) an L in the bottom-right."""


def task(img):
    col = int(img.max())
    shapes = {2: [[5, 5, 5], [0, 5, 0], [0, 5, 0]],
              1: [[0, 5, 0], [5, 5, 5], [0, 5, 0]],
              3: [[0, 0, 5], [0, 0, 5], [5, 5, 5]]}
    return shapes[col]
