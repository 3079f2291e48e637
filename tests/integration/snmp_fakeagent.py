#!/usr/bin/env python3
"""snmp_fakeagent.py — a deliberately broken SNMPv2c agent for snmp_faults.sh.
usage: snmp_fakeagent.py ADDR PORT MODE COMMUNITY [READY_FILE]
MODE: loop (non-increasing OIDs), endless (a table that never ends), generr (every
answer is genErr), oversized (a 30 kB sysDescr), silent (never answers), toobig
(answers tooBig to any GETBULK asking for more than 40 varbinds; a 3-row ifDescr),
drip (an endless table, 100 ms per answer: for the per-agent deadline),
walk (serves an `snmpwalk -On` dump like a Cisco Catalyst serves its per-VLAN bridge
instances: COMMUNITY reads WALK_FILE, COMMUNITY@N reads WALK_FILE with "@N" before its
extension (sw.walk -> sw@20.walk, the --from-walk naming) and gets no answer when that
file does not exist; every community asked is appended to LOG_FILE. SNMPv3 requests
(noAuthNoPriv, any user) are answered too: engine-id discovery, then context "" reads
WALK_FILE and context vlan-N the @N file, an unknown context gets an unknownContexts
report; "ctx:<name>" is logged).
usage for walk: snmp_fakeagent.py ADDR PORT walk COMMUNITY READY_FILE WALK_FILE LOG_FILE"""
import bisect, os, re
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

def euint(t, n):
    b = n.to_bytes(max(1, (n.bit_length() + 7) // 8), "big")
    if b[0] & 0x80: b = b"\x00" + b
    return enc(t, b)

def walk_value(typ, v):
    """one dump value as its BER encoding (the types snmpwalk -On prints)"""
    v = v.strip()
    if typ == "STRING": return enc(4, v[1:-1].encode() if v.startswith('"') else v.encode())
    if typ == "Hex-STRING": return enc(4, bytes(int(x, 16) for x in v.split()))
    if typ == "INTEGER": return eint(int(re.sub(r"^.*\((-?\d+)\)$", r"\1", v)))
    if typ == "OID": return eoid([int(x) for x in v.strip(".").split(".")])
    if typ == "IpAddress": return enc(0x40, bytes(int(x) for x in v.split(".")))
    if typ == "Timeticks": return euint(0x43, int(v[1:v.index(")")]))
    t = {"Counter32": 0x41, "Gauge32": 0x42, "Counter64": 0x46}[typ]
    return euint(t, int(v.split()[0]))

def load_walk(path):
    rows = []
    for line in open(path, encoding="utf-8"):
        if " = " not in line: continue
        o, rest = line.rstrip("\n").split(" = ", 1)
        if ": " not in rest: continue
        typ, v = rest.split(": ", 1)
        rows.append((tuple(int(x) for x in o.strip(".").split(".")), walk_value(typ, v)))
    rows.sort()
    return [r[0] for r in rows], [r[1] for r in rows]

walks = {}
def walk_vlan(vlan):
    """the dump of a VLAN (None: the plain one), or None when there is none"""
    path = sys.argv[6]
    if vlan is not None:
        stem, ext = os.path.splitext(path)
        path = stem + "@" + vlan + ext
    if not os.path.exists(path): return None
    if path not in walks: walks[path] = load_walk(path)
    return walks[path]

def walk_for(c):
    """the dump a community reads, or None (no answer)"""
    base = sys.argv[6]
    if c == comm: path = base
    elif c.startswith(comm + b"@") and c[len(comm) + 1:].isdigit():
        stem, ext = os.path.splitext(base)
        path = stem + "@" + c[len(comm) + 1:].decode() + ext
    else: return None
    if not os.path.exists(path): return None
    if path not in walks: walks[path] = load_walk(path)
    return walks[path]

def walk_answer(w, name):
    keys, vals = w
    i = bisect.bisect_right(keys, tuple(name))
    if i < len(keys): return list(keys[i]), vals[i]
    return name, b"\x82\x00"
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

ENGINE = b"\x80\x00\x1f\x88\x04fake-cat"
T0 = time.time()

def request(pdu, ptype):
    """a GET/GETNEXT/GETBULK pdu body: request id, names, non-repeaters, repetitions"""
    _, rid, j = tlv(pdu, 0); _, nonrep, j = tlv(pdu, j); _, reps, j = tlv(pdu, j)
    _, vbl, _ = tlv(pdu, j)
    names = []; k = 0
    while k < len(vbl):
        _, vb, k = tlv(vbl, k); _, o, _ = tlv(vb, 0); names.append(doid(o))
    nonrep = int.from_bytes(nonrep, "big"); reps = int.from_bytes(reps, "big")
    if ptype != 0xA5: nonrep, reps = len(names), 0
    return rid, names, nonrep, reps

def answers(names, nonrep, reps, answer_fn):
    """the varbinds answering a request: the non-repeaters once, the rest reps times"""
    out = [seq(eoid(o), v) for o, v in (answer_fn(n) for n in names[:nonrep])]
    cur = names[nonrep:]
    for _ in range(reps):
        nxt = []
        for n in cur:
            o, v = answer_fn(n); out.append(seq(eoid(o), v)); nxt.append(o)
        cur = nxt
    return out

def bulk(pdu, ptype, answer_fn):
    """the varbinds answering a GET/GETNEXT/GETBULK pdu body"""
    rid, names, nonrep, reps = request(pdu, ptype)
    return rid, answers(names, nonrep, reps, answer_fn)

def v3(body, i, peer):
    """one SNMPv3 noAuthNoPriv request: discovery report, a context's walk, or unknownContexts"""
    _, glob, i = tlv(body, i)
    _, mid, _ = tlv(glob, 0)
    _, secp, i = tlv(body, i)
    _, usm, _ = tlv(secp, 0)
    _, eng, k = tlv(usm, 0); _, _, k = tlv(usm, k); _, _, k = tlv(usm, k); _, user, k = tlv(usm, k)
    _, scoped, i = tlv(body, i)
    _, _, k = tlv(scoped, 0); _, cname, k = tlv(scoped, k)
    ptype, pdu, _ = tlv(scoped, k)
    _, rid, _ = tlv(pdu, 0)
    def send(pt, pdu_body):
        usm_out = seq(enc(4, ENGINE), eint(1), eint(int(time.time() - T0)), enc(4, user), enc(4, b""), enc(4, b""))
        glob_out = seq(enc(2, mid), eint(65507), enc(4, b"\x00"), eint(3))
        s.sendto(seq(eint(3), glob_out, enc(4, usm_out), seq(enc(4, ENGINE), enc(4, cname), enc(pt, pdu_body))), peer)
    def report(o):
        send(0xA8, enc(2, rid) + eint(0) + eint(0) + seq(seq(eoid(o), enc(0x41, b"\x01"))))
    if not eng:
        return report([1, 3, 6, 1, 6, 3, 15, 1, 1, 4, 0])          # usmStatsUnknownEngineIDs
    with open(sys.argv[7], "a") as log: log.write("ctx:" + cname.decode(errors="replace") + "\n")
    name = cname.decode(errors="replace")
    w = walk_vlan(None) if name == "" else walk_vlan(name[5:]) if re.fullmatch(r"vlan-\d+", name) else None
    if w is None:
        return report([1, 3, 6, 1, 6, 3, 12, 1, 5, 0])             # snmpUnknownContexts
    rid, out = bulk(pdu, ptype, lambda n: walk_answer(w, n))
    send(0xA2, enc(2, rid) + eint(0) + eint(0) + seq(*out))

while True:
    msg, peer = s.recvfrom(65535)
    if mode == "silent": continue
    try:
        _, body, _ = tlv(msg, 0)
        _, ver, i = tlv(body, 0)
        if mode == "walk" and ver == b"\x03":
            v3(body, i, peer)
            continue
        _, c, i = tlv(body, i)
        if mode == "walk":
            with open(sys.argv[7], "a") as log: log.write(c.decode(errors="replace") + "\n")
            w = walk_for(c)
            if w is None: continue
            answer = lambda n, col, w=w: walk_answer(w, n)
        elif c != comm: continue
        ptype, pdu, _ = tlv(body, i)
        rid, names, nonrep, reps = request(pdu, ptype)
        if mode == "toobig" and ptype == 0xA5 and reps * max(0, len(names) - nonrep) + nonrep > 40:
            resp = enc(0xA2, enc(2, rid) + eint(1) + eint(0) + seq(*[seq(eoid(n), b"\x05\x00") for n in names]))
        elif mode == "generr":
            resp = enc(0xA2, enc(2, rid) + eint(5) + eint(1) + seq(*[seq(eoid(n), b"\x05\x00") for n in names]))
        else:
            out = answers(names, nonrep, reps, lambda n: answer(n, None))
            resp = enc(0xA2, enc(2, rid) + eint(0) + eint(0) + seq(*out))
        if mode == "drip": time.sleep(0.1)
        s.sendto(seq(enc(2, ver), enc(4, c), resp), peer)
    except Exception as e:  # a broken request is dropped, like a real agent would
        print("fakeagent:", e, file=sys.stderr)
