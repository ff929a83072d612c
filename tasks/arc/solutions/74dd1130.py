"""Transpose the grid (mirror it about its main diagonal)."""


def task(img):
    return transpose(img)
