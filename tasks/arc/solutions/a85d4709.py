"""Colour each row by the column of its grey pixel: left red (2), middle yellow (4), right green (3)."""


def task(img):
    code = [2, 4, 3]
    return np.array([[code[int(np.argmax(row == 5))]] * 3 for row in img])
