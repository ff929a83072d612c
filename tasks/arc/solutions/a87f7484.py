"""Output the 3x3 panel whose shape differs from all the others."""


def task(img):
    g = img if img.shape[0] > img.shape[1] else transpose(img)
    panels = [g[i:i + 3] for i in range(0, g.shape[0], 3)]
    masks = [(p != 0).tobytes() for p in panels]
    odd = [p for p, m in zip(panels, masks) if masks.count(m) == 1][0]
    return odd if g is img else transpose(odd)
