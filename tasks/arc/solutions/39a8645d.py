"""Output the shape that occurs most often."""


def task(img):
    sprites = [o.sprite for o in find_objects(img, diagonal=True)]
    return max(sprites, key=lambda s: sum(s.shape == t.shape and (s == t).all() for t in sprites))
