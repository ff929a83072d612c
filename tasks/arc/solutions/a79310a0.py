"""Move the azure shape down one row and recolour it red (2)."""


def task(img):
    out = create_img(img.shape)
    out[1:] = img[:-1]
    return replace(out, 8, 2)
