# pass_persist.py — the snmpd `pass_persist` protocol for the lab's handlers (bridge_pass.py,
# cdp_pass.py): PING/PONG, then get|getnext + OID per request, answered from a table of
# (oid tuple, type, value) rows that rows(arg) builds. The table is read again when older
# than one second, so a walk sees one consistent snapshot. Sets are refused.
import sys
import time


def answer(table, cmd, oid_text):
    want = tuple(int(x) for x in oid_text.strip().strip(".").split(".") if x)
    for oid, t, v in table:
        if (cmd == "get" and oid == want) or (cmd == "getnext" and oid > want):
            return "." + ".".join(map(str, oid)) + "\n" + t + "\n" + v + "\n"
    return "NONE\n"


def serve(rows, arg):
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
