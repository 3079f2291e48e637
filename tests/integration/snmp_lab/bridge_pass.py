#!/usr/bin/env python3
# bridge_pass.py — snmpd `pass_persist` handler for .1.3.6.1.2.1.17 (BRIDGE-MIB / Q-BRIDGE-MIB)
# serving the kernel's bridge forwarding table of the namespace it runs in, the way a
# managed switch does: dot1dBasePortIfIndex (bridge port -> ifIndex) and
# dot1qTpFdbPort/Status (fdbId 1, learned = 3, the bridge's own = 4).
# Usage (snmpd.conf): pass_persist .1.3.6.1.2.1.17 /usr/bin/python3 bridge_pass.py BRIDGE
import json, os, subprocess, sys

def rows(br):
    r = []
    ports = {}
    base = "/sys/class/net/%s/brif" % br
    for dev in sorted(os.listdir(base)):
        pn = int(open("%s/%s/port_no" % (base, dev)).read().strip(), 16)
        ix = int(open("/sys/class/net/%s/ifindex" % dev).read())
        ports[dev] = pn
        r.append(((1, 3, 6, 1, 2, 1, 17, 1, 4, 1, 2, pn), "integer", str(ix)))
    out = subprocess.run(["bridge", "-j", "fdb", "show", "br", br], capture_output=True, text=True).stdout
    for e in json.loads(out or "[]"):
        dev, mac = e.get("ifname"), e.get("mac", "")
        if dev not in ports or e.get("master") != br or "vlan" in e:
            continue
        m = [int(x, 16) for x in mac.split(":")]
        if len(m) != 6 or m[0] & 1:
            continue
        status = "4" if e.get("state") == "permanent" else "3"
        r.append(((1, 3, 6, 1, 2, 1, 17, 7, 1, 2, 2, 1, 2, 1) + tuple(m), "integer", str(ports[dev])))
        r.append(((1, 3, 6, 1, 2, 1, 17, 7, 1, 2, 2, 1, 3, 1) + tuple(m), "integer", status))
    return sorted(set(r))

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
