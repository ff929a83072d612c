"""Pull every satellite (green 3 to the red 2, orange 7 to the blue 1) along its row or column until it is adjacent to its centre."""


def task(img):
    out = create_img(img.shape)
    for centre, sat in ((2, 3), (1, 7)):
        for cr, cc in cells_of_color(img, centre):
            out[cr, cc] = centre
            for r, c in cells_of_color(img, sat):
                if r == cr or c == cc:
                    out[cr + int(np.sign(r - cr)), cc + int(np.sign(c - cc))] = sat
    return out
