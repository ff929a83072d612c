"""Enlarge the small shape to fill the inside of the red square frame and output the framed result."""


def task(img):
    frame = [o for o in find_objects(img) if o.color == 2][0]
    shape = crop_to_content(replace(img, 2, 0), bg=0)
    k = (frame.height - 2) // shape.shape[0]
    return blit(frame.sprite, upscale(shape, k), (1, 1))
