#!/usr/bin/env python3
"""dns_responder.py — a tiny DNS server for tests: answers A queries from a table,
NXDOMAIN for other names, an empty answer for other types; logs "NAME TYPE" per
query into LOG. Lives at most LIFETIME seconds (never outlives a broken test).

    dns_responder.py ADDR PORT LOG LIFETIME NAME=IPV4...
"""
import socket
import struct
import sys
import time

addr, port, log, lifetime = sys.argv[1], int(sys.argv[2]), sys.argv[3], float(sys.argv[4])
table = dict(a.split("=", 1) for a in sys.argv[5:])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind((addr, port))
open(log, "w").close()
end = time.monotonic() + lifetime
while True:
    left = end - time.monotonic()
    if left <= 0:
        break
    s.settimeout(left)
    try:
        q, peer = s.recvfrom(4096)
    except socket.timeout:
        break
    if len(q) < 12:
        continue
    qid, _flags, qd = struct.unpack("!HHH", q[:6])
    i, labels = 12, []
    while i < len(q) and q[i] and len(labels) < 128:
        n = q[i]
        labels.append(q[i + 1:i + 1 + n].decode("ascii", "replace"))
        i += 1 + n
    i += 1
    if qd != 1 or i + 4 > len(q):
        continue
    qtype, _qclass = struct.unpack("!HH", q[i:i + 4])
    question = q[12:i + 4]
    name = ".".join(labels).rstrip(".").lower()
    with open(log, "a") as f:
        f.write("%s %s\n" % (name, {1: "A", 28: "AAAA"}.get(qtype, qtype)))
    ip = table.get(name)
    if ip is None:
        s.sendto(struct.pack("!HHHHHH", qid, 0x8183, 1, 0, 0, 0) + question, peer)   # NXDOMAIN
    elif qtype == 1:
        rr = b"\xc0\x0c" + struct.pack("!HHIH", 1, 1, 60, 4) + socket.inet_aton(ip)
        s.sendto(struct.pack("!HHHHHH", qid, 0x8180, 1, 1, 0, 0) + question + rr, peer)
    else:
        s.sendto(struct.pack("!HHHHHH", qid, 0x8180, 1, 0, 0, 0) + question, peer)
