"""Crop to the rectangle and mirror it left-right."""


def task(img):
    return flip_lr(crop_to_content(img))
