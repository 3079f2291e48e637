#!/usr/bin/env python3
"""json_stable.py MODEL.json — prints the part of the model JSON that spec/cli.md fixes
("these may not change"; extra keys may be added), sorted and indented, so a golden
test does not break when a key is added. Used by tests/cli/render_golden.sh."""
import json
import sys

LINE = ["line_no", "rows", "carrier", "service", "ctu_location", "contract_holder", "devices"]
PATH = ["row", "comm_type", "purpose", "system", "remote_party", "emr_link", "global_ip",
        "ip_kind", "fqdn", "scan_scope", "scan_reason", "scan_requested"]
DEVICE = ["id", "type", "maker", "model", "firmware", "rental", "location", "source"]
FINDING = ["code", "severity", "file", "sheet", "row", "column", "line_no"]
EDGE = ["id", "from", "to"]


def pick(obj, keys):
    return {k: obj.get(k) for k in keys if k in obj}


def main(path):
    m = json.load(open(path, encoding="utf-8"))
    out = {
        "schema": m.get("schema"),
        "site": {"name": m.get("site", {}).get("name")},
        "lines": [dict(pick(l, LINE), paths=[pick(p, PATH) for p in l.get("paths", [])])
                  for l in m.get("lines", [])],
        "devices": [pick(d, DEVICE) for d in m.get("devices", [])],
        "edges": [pick(e, EDGE) for e in m.get("edges", [])],
        "findings": [pick(f, FINDING) for f in m.get("findings", [])],
    }
    json.dump(out, sys.stdout, ensure_ascii=False, indent=1, sort_keys=True)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main(sys.argv[1])
