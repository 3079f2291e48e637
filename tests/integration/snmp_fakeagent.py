#!/usr/bin/env python3
"""snmp_fakeagent.py — a deliberately broken SNMPv2c agent for snmp_faults.sh.
usage: snmp_fakeagent.py ADDR PORT MODE COMMUNITY [READY_FILE]
MODE: loop (non-increasing OIDs), endless (a table that never ends), generr (every
answer is genErr), oversized (a 30 kB sysDescr), silent (never answers), toobig
(answers tooBig to any GETBULK asking for more than 40 varbinds; a 3-row ifDescr),
drip (an endless table, 100 ms per answer: for the per-agent deadline)."""
import time
import socket, sys

def dlen(b, i):
    n = b[i]; i += 1
    if n < 0x80: return n, i
    k = n & 0x7f; n = int.from_bytes(b[i:i+k], "big"); return n, i + k

def tlv(b, i):
    t = b[i]; n, j = dlen(b, i + 1); return t, b[j:j+n], j + n

def elen(n):
    if n < 0x80: return bytes([n])
    s = n.to_bytes((n.bit_length() + 7) // 8, "big"); return bytes([0x80 | len(s)]) + s

def enc(t, v): return bytes([t]) + elen(len(v)) + v
def eint(n): return enc(2, n.to_bytes(max(1, (n.bit_length() + 8) // 8), "big", signed=True))

def doid(v):
    o = [v[0] // 40, v[0] % 40]; x = 0
    for c in v[1:]:
        x = (x << 7) | (c & 0x7f)
        if not c & 0x80: o.append(x); x = 0
    return o

def eoid(o):
    out = bytes([o[0] * 40 + o[1]])
    for c in o[2:]:
        s = [c & 0x7f]; c >>= 7
        while c: s.append(0x80 | (c & 0x7f)); c >>= 7
        out += bytes(reversed(s))
    return enc(6, out)

def seq(*xs): return enc(0x30, b"".join(xs))

addr, port, mode, comm = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4].encode()
SYSNAME = [1, 3, 6, 1, 2, 1, 1, 5, 0]
IFDESCR = [1, 3, 6, 1, 2, 1, 2, 2, 1, 2]
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind((addr, port))
if len(sys.argv) > 5: open(sys.argv[5], "w").close()   # ready marker
counter = [0]

def answer(name, col):
    """the varbind (oid, encoded value) a GETNEXT on name returns in this mode"""
    if name[:len(SYSNAME) - 1] == SYSNAME[:-1] and len(name) <= len(SYSNAME) - 1:
        return SYSNAME, enc(4, ("fake-" + mode).encode())
    if mode == "oversized" and name == [1, 3, 6, 1, 2, 1, 1, 1]:
        return name + [0], enc(4, b"D" * 30000)
    if name[:len(IFDESCR)] == IFDESCR:
        if mode == "loop":
            return IFDESCR + [1], enc(4, b"eth-loop")      # same OID every time
        if mode in ("endless", "drip"):
            counter[0] += 1
            return IFDESCR + [counter[0]], enc(4, b"eth")
        if mode == "toobig":
            i = name[len(IFDESCR)] + 1 if len(name) > len(IFDESCR) else 1
            if i <= 3: return IFDESCR + [i], enc(4, b"eth%d" % i)
    return name, b"\x82\x00"                                # endOfMibView

while True:
    msg, peer = s.recvfrom(65535)
    if mode == "silent": continue
    try:
        _, body, _ = tlv(msg, 0)
        _, ver, i = tlv(body, 0)
        _, c, i = tlv(body, i)
        if c != comm: continue
        ptype, pdu, _ = tlv(body, i)
        _, rid, j = tlv(pdu, 0); _, nonrep, j = tlv(pdu, j); _, reps, j = tlv(pdu, j)
        _, vbl, _ = tlv(pdu, j)
        names = []; k = 0
        while k < len(vbl):
            _, vb, k = tlv(vbl, k); _, o, _ = tlv(vb, 0); names.append(doid(o))
        nonrep = int.from_bytes(nonrep, "big"); reps = int.from_bytes(reps, "big")
        if ptype != 0xA5: nonrep, reps = len(names), 0
        out = []
        if mode == "toobig" and ptype == 0xA5 and reps * max(0, len(names) - nonrep) + nonrep > 40:
            resp = enc(0xA2, enc(2, rid) + eint(1) + eint(0) + seq(*[seq(eoid(n), b"\x05\x00") for n in names]))
        elif mode == "generr":
            resp = enc(0xA2, enc(2, rid) + eint(5) + eint(1) + seq(*[seq(eoid(n), b"\x05\x00") for n in names]))
        else:
            for n in names[:nonrep]:
                o, v = answer(n, None); out.append(seq(eoid(o), v))
            cur = names[nonrep:]
            for _ in range(reps):
                nxt = []
                for n in cur:
                    o, v = answer(n, None); out.append(seq(eoid(o), v)); nxt.append(o)
                cur = nxt
            resp = enc(0xA2, enc(2, rid) + eint(0) + eint(0) + seq(*out))
        if mode == "drip": time.sleep(0.1)
        s.sendto(seq(enc(2, ver), enc(4, c), resp), peer)
    except Exception as e:  # a broken request is dropped, like a real agent would
        print("fakeagent:", e, file=sys.stderr)
