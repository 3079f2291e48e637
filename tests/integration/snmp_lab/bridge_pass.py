#!/usr/bin/env python3
# bridge_pass.py — snmpd `pass_persist` handler for .1.3.6.1.2.1.17 (BRIDGE-MIB / Q-BRIDGE-MIB)
# serving the kernel's bridge forwarding table of the namespace it runs in, the way a
# managed switch does: dot1dBasePortIfIndex (bridge port -> ifIndex) and
# dot1qTpFdbPort/Status (fdbId 1, learned = 3, the bridge's own = 4).
# Usage (snmpd.conf): pass_persist .1.3.6.1.2.1.17 /usr/bin/python3 bridge_pass.py BRIDGE
import json, os, subprocess, sys

from pass_persist import serve

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

serve(rows, sys.argv[1])
