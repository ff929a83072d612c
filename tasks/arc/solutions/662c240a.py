"""Of the three stacked 3x3 blocks, output the one that is not symmetric about its main diagonal."""


def task(img):
    blocks = [img[i:i + 3] for i in range(0, img.shape[0], 3)]
    return [b for b in blocks if not is_symmetric(b, 'diag')][0]
