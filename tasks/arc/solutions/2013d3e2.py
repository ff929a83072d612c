"""The shape is symmetric; output the top-left 3x3 corner of its bounding box."""


def task(img):
    return crop_to_content(img)[:3, :3]
