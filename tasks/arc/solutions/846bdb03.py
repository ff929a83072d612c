"""Put the two-coloured shape between the frame's bars, mirrored if needed so that each colour sits next to the bar of the same colour; output the framed result."""


def task(img):
    t, l, b, r = bbox(np.where(img == 4, 1, 0), bg=0)
    frame = img[t:b + 1, l:r + 1]
    rest = copy(img)
    rest[t:b + 1, l:r + 1] = 0
    shape = crop_to_content(rest, bg=0)
    left = [v for v in shape[:, 0] if v != 0][0]
    if left != frame[1, 0]:
        shape = flip_lr(shape)
    return blit(frame, shape, (1, 1), transparent=0)
