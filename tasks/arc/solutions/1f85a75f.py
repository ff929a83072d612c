"""Crop the largest object out of the noise."""


def task(img):
    o = max(find_objects(img), key=lambda o: o.size)
    return o.sprite
