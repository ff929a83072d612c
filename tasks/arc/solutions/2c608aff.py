"""Each stray pixel level with the big rectangle draws a line of its colour straight to the rectangle."""


def task(img):
    bg = background(img)
    rect = max(find_objects(img), key=lambda o: o.size)
    out = copy(img)
    for r, c in zip(*np.nonzero((img != bg) & (img != rect.color))):
        if rect.left <= c <= rect.right:
            draw_line(out, (r, c), (rect.top if r < rect.top else rect.bottom, c), img[r, c])
        elif rect.top <= r <= rect.bottom:
            draw_line(out, (r, c), (r, rect.left if c < rect.left else rect.right), img[r, c])
    return np.where(img == rect.color, img, out)
