"""Each 4x4 grey panel's hole pattern names a colour (none: red, centre: azure, bottom: yellow, sides: green); output one row per panel."""


def task(img):
    out = []
    for i in range(3):
        p = img[:, 5 * i:5 * i + 4]
        if p[3, 1] == 0:
            col = 4
        elif p[1, 1] == 0:
            col = 8
        else:
            col = 3 if p[1, 0] == 0 else 2
        out.append([col] * 3)
    return out
