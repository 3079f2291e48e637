#!/usr/bin/env python3
# cdp_pass.py — snmpd `pass_persist` handler for .1.3.6.1.4.1.9.9.23 (CISCO-CDP-MIB) serving the
# CDP neighbours lldpd (-c) received in this namespace as cdpCacheTable rows, the shape
# discovery-notes.md (4) describes: index ifIndex.deviceIndex, address type ip(1) with 4
# raw bytes, device id, device port, platform, version, capabilities as a 4-byte mask.
# Usage (snmpd.conf): pass_persist .1.3.6.1.4.1.9.9.23 /usr/bin/python3 cdp_pass.py LLDPCTL_SOCKET
import subprocess, sys

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

def answer(table, cmd, oid_text):
    want = tuple(int(x) for x in oid_text.strip().strip(".").split(".") if x)
    for oid, t, v in table:
        if (cmd == "get" and oid == want) or (cmd == "getnext" and oid > want):
            return "." + ".".join(map(str, oid)) + "\n" + t + "\n" + v + "\n"
    return "NONE\n"

def main():
    # pass_persist protocol: PING/PONG, then get|getnext + OID per request. The table is
    # read again when older than one second (a walk sees one consistent snapshot).
    import time
    arg = sys.argv[1]
    table, at = [], 0.0
    while True:
        cmd = sys.stdin.readline()
        if not cmd:
            return
        cmd = cmd.strip()
        if cmd == "PING":
            out = "PONG\n"
        elif cmd in ("get", "getnext"):
            oid = sys.stdin.readline()
            if time.monotonic() - at > 1.0:
                table, at = rows(arg), time.monotonic()
            out = answer(table, cmd, oid)
        elif cmd == "set":
            sys.stdin.readline(); sys.stdin.readline()
            out = "not-writable\n"
        else:
            out = "NONE\n"
        sys.stdout.write(out)
        sys.stdout.flush()

main()
