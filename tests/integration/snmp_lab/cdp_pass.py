#!/usr/bin/env python3
# cdp_pass.py — snmpd `pass_persist` handler for .1.3.6.1.4.1.9.9.23 (CISCO-CDP-MIB) serving the
# CDP neighbours lldpd (-c) received in this namespace as cdpCacheTable rows, the shape
# discovery-notes.md (4) describes: index ifIndex.deviceIndex, address type ip(1) with 4
# raw bytes, device id, device port, platform, version, capabilities as a 4-byte mask.
# Usage (snmpd.conf): pass_persist .1.3.6.1.4.1.9.9.23 /usr/bin/python3 cdp_pass.py LLDPCTL_SOCKET
import subprocess, sys

from pass_persist import serve

C = (1, 3, 6, 1, 4, 1, 9, 9, 23, 1, 2, 1, 1)

def neighbours(sock):
    out = subprocess.run(["lldpcli", "-u", sock, "show", "neighbors", "details", "-f", "keyvalue"],
                         capture_output=True, text=True).stdout
    n = {}
    for line in out.splitlines():
        k, _, v = line.partition("=")
        parts = k.split(".")
        if len(parts) < 3 or parts[0] != "lldp":
            continue
        n.setdefault(parts[1], {})[".".join(parts[2:])] = v
    return n

def rows(sock):
    r = []
    for dev, kv in neighbours(sock).items():
        if not kv.get("via", "").startswith("CDP"):
            continue
        ix = int(open("/sys/class/net/%s/ifindex" % dev).read())
        i = (ix, 1)
        name = kv.get("chassis.name", kv.get("chassis.local", ""))
        ip = kv.get("chassis.mgmt-ip", "")
        port = kv.get("port.ifname", kv.get("port.local", ""))
        # lldpd keeps CDP's platform and software version as "PLATFORM running on VERSION"
        platform, _, descr = kv.get("chassis.descr", "").partition(" running on ")
        caps = 0
        for k, v in kv.items():
            p = k.split(".")
            if len(p) == 3 and p[0] == "chassis" and p[2] == "enabled" and v == "on":
                caps |= {"Router": 0x01, "Bridge": 0x08, "Station": 0x10, "Repeater": 0x40, "Tel": 0x80}.get(p[1], 0)
        if ip:
            r.append((C + (3,) + i, "integer", "1"))
            r.append((C + (4,) + i, "octet", " ".join("%02x" % int(x) for x in ip.split("."))))
        r.append((C + (5,) + i, "string", descr))
        r.append((C + (6,) + i, "string", name))
        r.append((C + (7,) + i, "string", port))
        r.append((C + (8,) + i, "string", platform))
        r.append((C + (9,) + i, "octet", "00 00 00 %02x" % caps))
    return sorted(r)

serve(rows, sys.argv[1])
