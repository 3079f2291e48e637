#!/bin/bash
# CLI golden tests on the bundled samples: the exact findings (code, severity, sheet,
# row, column, line) of samples/README.md, the model's key facts, exit codes, and that
# the password sheet/column never reaches any output.
set -u
: "${EDGEMAP:?}" "${ROOT:?}"
cd "$ROOT" || exit 2
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
ok() { echo "ok - $1"; }
no() { echo "not ok - $1: $2"; }

findings_tsv() {
    python3 -c '
import json,sys
d=json.load(open(sys.argv[1]))
for f in d["findings"]:
    print("\t".join([f["code"],f["severity"],f["sheet"],str(f["row"]),f["column"],f["line_no"]]))' "$1"
}

for s in hospital:samples/hospital.xlsx clinic:samples/clinic.csv; do
    name=${s%%:*}; file=${s#*:}
    "$EDGEMAP" check --format json "$file" > "$T/$name.json" 2> "$T/$name.err"
    rc=$?
    [ "$rc" -eq 1 ] && ok "$name: check exits 1 (error findings)" || no "$name: check exits 1" "exit $rc: $(head -c 300 "$T/$name.err")"
    findings_tsv "$T/$name.json" > "$T/$name.tsv"
    if diff -u "tests/golden/$name.findings.tsv" "$T/$name.tsv" > "$T/$name.diff"; then
        ok "$name: exact findings (code, severity, sheet, row, column, line)"
    else
        no "$name: exact findings" "$(head -c 1500 "$T/$name.diff")"
    fi
    "$EDGEMAP" check "$file" > "$T/$name.txt"; "$EDGEMAP" check --lang en "$file" > "$T/$name.en.txt"
    if cat "$T/$name.json" "$T/$name.txt" "$T/$name.en.txt" "$T/$name.err" | grep -q 'P@ssw0rd-SAMPLE'; then
        no "$name: password never in any output" "found P@ssw0rd-SAMPLE"
    else ok "$name: password never in any output"; fi
done

check_py() { # name python-assertions (d = the hospital model, c = the clinic model)
    local prog
    prog=$(printf 'import json,sys\nd=json.load(open(sys.argv[1])); c=json.load(open(sys.argv[2]))\n%s\n' "$2")
    if python3 -c "$prog" "$T/hospital.json" "$T/clinic.json" > "$T/py.out" 2>&1; then ok "$1"; else no "$1" "$(tail -c 600 "$T/py.out")"; fi
}

check_py "hospital: site, counts, schema" '
assert d["schema"]=="edgemap/1"
assert d["site"]["name"]=="みなと中央病院", d["site"]
assert d["site"]["survey_date"]=="2026-11-25", d["site"]
assert len(d["lines"])==20 and sum(len(l["paths"]) for l in d["lines"])==23 and len(d["devices"])==22
assert len(d["terminals"])==6'
check_py "hospital: merged 回線No rows are one line with one path per row" '
l1=[l for l in d["lines"] if l["line_no"]=="1"][0]
assert l1["rows"]==[7,8], l1["rows"]
assert [p["comm_type"] for p in l1["paths"]]==["internet","internet_vpn"]
assert l1["carrier"]=="NTT東日本"'
check_py "hospital: full-width values normalised (row 8)" '
p=[p for l in d["lines"] for p in l["paths"] if p["row"]==8][0]
assert p["global_ip"]=="203.0.113.10" and p["ip_kind"]=="fixed" and p["scan_scope"]=="in", p'
check_py "hospital: shared UTM drawn once (lines 1 and 2)" '
l={l["line_no"]:l for l in d["lines"]}
shared=set(l["1"]["devices"]) & set(l["2"]["devices"])
assert len(shared)==1, (l["1"]["devices"], l["2"]["devices"])
dev=[x for x in d["devices"] if x["id"] in shared][0]
assert dev["type"]=="utm" and dev["model"].startswith("FortiGate"), dev'
check_py "hospital: scan scope and reasons" '
ps={p["row"]:p for l in d["lines"] for p in l["paths"]}
assert ps[12]["scan_scope"]=="out" and ps[12]["scan_reason"]=="closed_network"
assert ps[16]["scan_reason"]=="phone_only"
assert ps[15]["scan_reason"]=="no_global_ip"
assert ps[11]["scan_scope"]=="in" and ps[11]["ip_kind"]=="dynamic" and ps[11]["scan_requested"]'
check_py "hospital: vulnerable devices carry CVE ids" '
cves={c for x in d["devices"] for c in x["cves"]}
assert {"CVE-2020-5548","CVE-2018-13379","CVE-2024-21762"} <= cves, cves'
check_py "hospital: unknown column kept, password column dropped" '
p=[p for l in d["lines"] for p in l["paths"] if p["row"]==7][0]
assert "月額費用" in p["extra"], p["extra"]
assert not any("パスワード" in k for k in p["extra"])'
check_py "hospital: EMR segment and a dotted unknown EMR edge" '
assert any(s["id"]=="emr" and s["emr"] for s in d["segments"])
assert any(e["to"]=="emr" and e["emr_unknown"] for e in d["edges"])
assert any(e["to"]=="emr" and not e["emr_unknown"] for e in d["edges"])'
check_py "clinic: CP932 CSV read, multi-line remark kept" '
assert len(c["lines"])==5 and sum(len(l["paths"]) for l in c["lines"])==6
p=[p for l in c["lines"] for p in l["paths"] if p["row"]==7][0]
assert "\n" in p["remarks"] and "\"クラウド型\"" in p["remarks"], p["remarks"]'

# the two files together are one survey (records.md "Several files are one survey"):
# equal 回線No are one line, and where the clinic's rows disagree with the hospital's
# the finding names both files and rows
"$EDGEMAP" check --format json samples/hospital.xlsx samples/clinic.csv > "$T/both.json"
if python3 -c '
import json,sys; d=json.load(open(sys.argv[1]))
assert len(d["sources"])==2
assert len({l["id"] for l in d["lines"]})==len(d["lines"])==20, len(d["lines"])
lc=[f for f in d["findings"] if f["code"]=="E-LINE-CONFLICT" and f["file"].endswith("clinic.csv")]
assert len(lc)==5 and all("hospital.xlsx" in f["message"] and "clinic.csv" in f["message"] for f in lc), lc' "$T/both.json"; then
    ok "two files in one run: one survey, 20 lines, cross-file E-LINE-CONFLICT names both files"
else no "two files in one run" "$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(len(d["findings"]), [l["id"] for l in d["lines"]])' "$T/both.json")"; fi

# the clean sample: no finding at all, exit 0
"$EDGEMAP" check --format json samples/clinic-clean.xlsx > "$T/clean.json"; rc=$?
if [ "$rc" -eq 0 ] && python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["findings"]==[] and len(d["lines"])>0' "$T/clean.json"; then
    ok "clinic-clean.xlsx: no findings, exit 0"
else no "clinic-clean.xlsx: no findings, exit 0" "exit $rc: $(head -c 300 "$T/clean.json")"; fi

# higashi: a PPPoE multi-session line (two routers on one line), 調査日 in 和暦, and the
# vendor's CSV read with it as one survey (samples/README.md)
"$EDGEMAP" check --format json samples/higashi.xlsx > "$T/hg.json"
"$EDGEMAP" check --format json samples/higashi.xlsx samples/higashi-vendor.csv > "$T/hgv.json"
if python3 - "$T/hg.json" "$T/hgv.json" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["site"]["survey_date"] == "2026-11-25", d["site"]
assert [(f["code"], f["row"]) for f in d["findings"]] == [("H-VULN-FIRMWARE", 8)], d["findings"]
assert len(d["lines"]) == 2 and len(d["devices"]) == 4
l1 = d["lines"][0]
assert len(l1["devices"]) == 3 and len(l1["paths"]) == 2
assert l1["paths"][0]["devices"][0] == l1["paths"][1]["devices"][0]
assert l1["paths"][0]["devices"][1] != l1["paths"][1]["devices"][1]
v = json.load(open(sys.argv[2]))
got = [(f["code"], f["file"].split("/")[-1], f["row"]) for f in v["findings"]]
assert got == [("H-VULN-FIRMWARE", "higashi.xlsx", 8), ("E-LINE-CONFLICT", "higashi-vendor.csv", 3),
               ("W-FIRMWARE-UNVERIFIED", "higashi-vendor.csv", 4)], got
lc = v["findings"][1]["message"]
assert "higashi.xlsx 9" in lc and "higashi-vendor.csv 3" in lc, lc
assert len(v["lines"]) == 3 and len(v["devices"]) == 5, (len(v["lines"]), len(v["devices"]))
fg = [x for x in v["devices"] if x["model"] == "FortiGate-60E"][0]
assert [s["file"].split("/")[-1] for s in fg["sources"]] == ["higashi.xlsx", "higashi-vendor.csv"], fg["sources"]
EOF
then ok "higashi: PPPoE line keeps both routers; with the vendor CSV one survey (E-LINE-CONFLICT names both files)"
else no "higashi samples" "$(head -c 400 "$T/hgv.json")"; fi

# make samples regenerates every sample byte for byte
GEN="$ROOT/${BUILD:-build}/samples/gen_samples"
if [ -x "$GEN" ]; then
    mkdir -p "$T/regen"
    "$GEN" "$T/regen"
    same=1
    for f in hospital.xlsx clinic-clean.xlsx clinic.csv higashi.xlsx higashi-vendor.csv; do
        cmp -s "$T/regen/$f" "samples/$f" || { same=0; echo "# $f differs"; }
    done
    if [ "$same" = 1 ]; then ok "samples regenerate byte-identically"; else no "samples regenerate" "see above"; fi
else
    echo "skip - samples regenerate byte-identically: the generator is not built (make samples)"
fi
