#!/usr/bin/env python3
"""disc_gen.py — writes a DISC.json (edgemap-discovery/1) of an FDB/ARP-heavy crawl of a
hospital, for the render tests and the benchmark of big discovered maps:

    disc_gen.py SWITCHES ENDPOINTS SEED OUT.json [--small K]

One core router "rtx-main" (10.0.0.1: the declared router of tests/cli/data/
render_small.csv, so it merges with the records), SWITCHES switches "sw-1" … linked to it
by LLDP (seen from both ends), and ENDPOINTS endpoints spread over the switches, each
learned alone on a switch port (source fdb, an inferred link), with a MAC, a maker by OUI
and a private address in its switch's segment (10.<100+i>.0.0/16). The last switch gets
only K endpoints (--small, default 3): too few to be aggregated. Among the endpoints,
eight carry a reason to be looked at, named so a test finds them:
  flag-global-1..3   a global address (H-UNDOCUMENTED-PATH, error)
  flag-route-1..2    a default route to a global next hop (error)
  flag-lte-1..3      a router maker's MAC in an undeclared segment, with a path out of the
                     EMR segment (warning)
Deterministic for a given SEED. Prints the number of endpoints per switch on stdout, one
"sw-<i> <count>" a line, then "flagged <names>" (what the test compares the drawing with).
"""
import argparse
import json
import random
import sys


def main(argv):
    ap = argparse.ArgumentParser(prog="disc_gen.py")
    ap.add_argument("switches", type=int)
    ap.add_argument("endpoints", type=int)
    ap.add_argument("seed", type=int)
    ap.add_argument("out")
    ap.add_argument("--small", type=int, default=3)
    a = ap.parse_args(argv[1:])
    n_sw, n_ep, seed, out, small = a.switches, a.endpoints, a.seed, a.out, a.small
    if n_sw < 2 or n_sw > 150 or n_ep < 8 + small or n_ep > 200000:
        sys.stderr.write("disc_gen.py: 2..150 switches, at least 8+K endpoints\n")
        return 2
    rnd = random.Random(seed)

    def addr(a, g=False):
        return {"address": a, "family": "ipv4", "global": g}

    makers = [("00:00:85", "Canon Inc."), ("00:14:22", "Dell Inc."), ("3c:d9:2b", "Hewlett Packard"),
              ("00:1b:21", "Intel Corporate"), ("00:80:92", "Silex Technology, Inc."), ("", "")]
    router_makers = [("00:a0:de", "YAMAHA CORPORATION"), ("00:1e:10", "HUAWEI TECHNOLOGIES CO.,LTD"),
                     ("00:0d:02", "NEC Platforms, Ltd.")]
    devices = [{"id": "dev-core", "sys_name": "rtx-main", "queried": "10.0.0.1", "also_reached_at": [],
                "addresses": [addr("10.0.0.1")], "default_next_hops": [], "capabilities": ["router"]}]
    links, nbrs, segments, paths_out = [], [], [], []
    for i in range(1, n_sw + 1):
        devices.append({"id": "dev-sw%d" % i, "sys_name": "sw-%d" % i, "queried": "10.%d.0.1" % (100 + i),
                        "also_reached_at": [], "addresses": [addr("10.%d.0.1" % (100 + i))],
                        "default_next_hops": [], "capabilities": ["bridge"]})
        links.append({"local": {"device": "dev-sw%d" % i, "port": "ge0/1"},
                      "remote": {"device": "dev-core", "port": "lan%d" % i},
                      "evidence": "both", "source": "lldp", "confidence": "high"})
        segments.append({"id": "seg-%d" % i, "prefix": "10.%d.0.0/16" % (100 + i), "emr": i == 1,
                         "devices": ["dev-sw%d" % i]})
    # endpoints per switch: the last gets `small`, the others share the rest
    per = [0] * (n_sw + 1)
    rest = n_ep - small
    for i in range(1, n_sw):
        per[i] = rest // (n_sw - 1) + (1 if i <= rest % (n_sw - 1) else 0)
    per[n_sw] = small
    flags = ["flag-global-1", "flag-global-2", "flag-global-3", "flag-route-1", "flag-route-2",
             "flag-lte-1", "flag-lte-2", "flag-lte-3"]
    # the flagged ones sit behind switches 1..3 (big ones), mixed among the others
    flag_at = {}
    for k, name in enumerate(flags):
        flag_at[(1 + k % 3, 5 + 7 * k)] = name
    serial = 0
    for i in range(1, n_sw + 1):
        for j in range(1, per[i] + 1):
            serial += 1
            name = flag_at.get((i, j), "")
            oui, maker = makers[rnd.randrange(len(makers))]
            router_maker = False
            hops = []
            if name.startswith("flag-lte"):
                oui, maker = router_makers[j % len(router_makers)]
                router_maker = True
            if not oui:
                oui = "02:00:00"       # locally administered: no maker
            mac = "%s:%02x:%02x:%02x" % (oui, (serial >> 16) & 255, (serial >> 8) & 255, serial & 255)
            addrs = [addr("10.%d.%d.%d" % (100 + i, (j >> 8) & 255, j & 255))]
            if name.startswith("flag-global"):
                addrs.append(addr("203.0.113.%d" % (10 + len(paths_out) + j % 200), True))
            if name.startswith("flag-route"):
                hops = [addr("198.51.100.%d" % (1 + j % 250), True)]
            nid = "nbr-%d" % serial
            nb = {"id": nid, "sys_name": name, "source": "fdb", "confidence": "inferred", "reason": "endpoint",
                  "mac": mac, "maker": maker, "router_maker": router_maker, "seen_by": "dev-sw%d" % i,
                  "local_port": "ge1/0/%d" % j, "segment": "seg-%d" % i, "addresses": addrs,
                  "default_next_hops": hops}
            nbrs.append(nb)
            links.append({"local": {"device": "dev-sw%d" % i, "port": "ge1/0/%d" % j},
                          "remote": {"device": nid, "port": ""},
                          "evidence": "inferred", "source": "fdb", "confidence": "inferred"})
            if router_maker:
                paths_out.append({"device": nid, "why": "made by %s, a router maker" % maker,
                                  "chain": "10.101.0.0/16 (EMR) → sw-%d [ge1/0/%d] → %s" % (i, j, mac),
                                  "global": False})
    doc = {"schema": "edgemap-discovery/1", "mode": "snmp", "scopes": ["10.0.0.0/8"], "seeds": ["10.0.0.1"],
           "devices": devices, "links": links, "neighbors_not_queried": nbrs, "segments": segments,
           "paths_out": paths_out, "errors": [], "timings": {}}
    with open(out, "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=False, indent=0)
    for i in range(1, n_sw + 1):
        print("sw-%d %d" % (i, per[i]))
    print("flagged " + " ".join(flags))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
