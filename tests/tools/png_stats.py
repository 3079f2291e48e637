#!/usr/bin/env python3
"""png_stats.py FILE — prints "WIDTH HEIGHT NONWHITE_FRACTION" of a PNG (8-bit
greyscale/RGB/RGBA, non-interlaced), using the standard library only. Exit 2 if the
file is not such a PNG. Used by the render tests to check screenshots are not blank."""
import struct
import sys
import zlib


def main(path):
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        sys.exit(2)
    pos, idat, hdr = 8, [], None
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            hdr = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat.append(body)
        elif kind == b"IEND":
            break
        pos += 12 + n
    w, h, depth, ctype, _, _, interlace = hdr
    channels = {0: 1, 2: 3, 6: 4, 4: 2}.get(ctype)
    if depth != 8 or channels is None or interlace:
        sys.exit(2)
    raw = zlib.decompress(b"".join(idat))
    stride = w * channels
    prev = bytearray(stride)
    nonwhite = 0
    i = 0
    for _ in range(h):
        f = raw[i]
        line = bytearray(raw[i + 1:i + 1 + stride])
        i += 1 + stride
        for x in range(stride):
            a = line[x - channels] if x >= channels else 0
            b = prev[x]
            c = prev[x - channels] if x >= channels else 0
            if f == 1:
                line[x] = (line[x] + a) & 255
            elif f == 2:
                line[x] = (line[x] + b) & 255
            elif f == 3:
                line[x] = (line[x] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pr = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[x] = (line[x] + pr) & 255
        for x in range(0, stride, channels):
            px = line[x:x + min(channels, 3)]
            if min(px) < 200:
                nonwhite += 1
        prev = line
    print(w, h, "%.5f" % (nonwhite / float(w * h)))


if __name__ == "__main__":
    main(sys.argv[1])
