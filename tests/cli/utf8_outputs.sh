#!/bin/bash
# Property: whatever the records hold, no output cuts a string inside a character.
# Random CSVs (long cells of 1- to 4-byte characters, combining marks, line breaks,
# quotes, XML/HTML specials in every column; seeded, EM_UTF8_SEED to repeat) and the
# fuzz corpora go through every output — check text and JSON, render SVG, DOT, HTML,
# CSV (targets), JSON (model) — and each output must be valid UTF-8, and valid JSON /
# XML where it is one.
set -u
: "${EDGEMAP:?}" "${ROOT:?}"
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
ok() { echo "ok - $1"; }
no() { echo "not ok - $1: $2"; }
SEED=${EM_UTF8_SEED:-$RANDOM}
echo "# seed $SEED (EM_UTF8_SEED=$SEED to repeat)"

python3 - "$T" "$SEED" <<'EOF'
import random, sys
out, seed = sys.argv[1], int(sys.argv[2])
rnd = random.Random(seed)
alphabet = ["a", "Z", "0", " ", "-", "é", "ß", "日", "本", "語", "②", "（", "）", "ｱ", "ｶﾞ", "😀", "𠮷", "e\u0301",
            "\u3000", "<", ">", "&", "\"", "'", "\\", "\n", ",", "、", "%s", "%n", "]]>", "--"]
def text(n):
    return "".join(rnd.choice(alphabet) for _ in range(n))
hdr = ["回線No", "通信形態", "グローバルIP利用", "固定IP/動的IP", "グローバルIPアドレス", "FQDN", "電子カルテ接続",
       "回線事業者", "回線サービス名", "回線終端装置設置場所", "システム名", "接続先", "回線の用途",
       "装置①_装置の種類", "装置①_メーカー", "装置①_機種名", "装置①_ファームウェアバージョン", "装置①_ホスト名",
       "装置②_装置の種類", "装置②_メーカー", "装置②_機種名", "装置②_ファームウェアバージョン", "備考", "未知の列" + text(30)]
comm = ["インターネット", "インターネットVPN", "閉域網", "電話回線のみ", ""]
def q(s):
    return '"' + s.replace('"', '""') + '"'
for k in range(6):
    rows = [",".join(q(h) for h in hdr)]
    for i in range(12):
        cells = [str(rnd.randint(1, 4)) if rnd.random() < .8 else text(rnd.randint(1, 90)),
                 rnd.choice(comm), "あり", "固定IP", rnd.choice(["203.0.113.%d" % i, text(20)]), text(rnd.randint(0, 300))]
        cells += [text(rnd.choice([0, 5, 79, 80, 81, 200, 700, 3000])) for _ in range(len(hdr) - len(cells))]
        rows.append(",".join(q(c) for c in cells))
    open("%s/r%d.csv" % (out, k), "w", encoding="utf-8").write("\n".join(rows) + "\n")
EOF

validate() { # file kind(json|xml|text)
    python3 - "$1" "$2" <<'EOF'
import json, sys
data = open(sys.argv[1], "rb").read()
text = data.decode("utf-8")          # strict: raises on any cut character
if sys.argv[2] == "json": json.loads(text)
EOF
    [ "$2" != xml ] || xmllint --noout "$1" 2>/dev/null
}

inputs=("$T"/r*.csv)
for f in "$ROOT"/tests/fuzz/corpus/csv/* "$ROOT"/tests/fuzz/corpus/xlsx/*; do [ -f "$f" ] && inputs+=("$f"); done
bad=0; checked=0; why=""
for f in "${inputs[@]}"; do
    b=$(basename "$f")
    "$EDGEMAP" check "$f" > "$T/o.txt" 2>"$T/e.txt"; rc=$?
    [ "$rc" -le 2 ] || { bad=$((bad+1)); why="$b: check exit $rc"; continue; }
    for o in "$T/o.txt" "$T/e.txt"; do validate "$o" text || { bad=$((bad+1)); why="$b: $(basename "$o") not UTF-8"; }; done
    "$EDGEMAP" check --format json "$f" > "$T/o.json" 2>/dev/null
    if [ -s "$T/o.json" ]; then validate "$T/o.json" json || { bad=$((bad+1)); why="$b: check JSON"; }; fi
    rm -f "$T"/m.*
    EDGEMAP_LAYOUT_TIMEOUT=60 "$EDGEMAP" render "$f" -o "$T/m.svg" -o "$T/m.dot" -o "$T/m.html" -o "$T/m.csv" -o "$T/m.json" >/dev/null 2>"$T/e.txt"
    validate "$T/e.txt" text || { bad=$((bad+1)); why="$b: render stderr"; }
    [ -f "$T/m.svg" ] || continue
    checked=$((checked+1))
    for o in m.svg:xml m.dot:text m.html:text m.csv:text m.json:json; do
        validate "$T/${o%%:*}" "${o##*:}" || { bad=$((bad+1)); why="$b: ${o%%:*} invalid"; cp "$T/${o%%:*}" "/tmp/em-utf8-bad-${o%%:*}" 2>/dev/null; }
    done
done
if [ "$bad" -eq 0 ] && [ "$checked" -ge 6 ]; then ok "every output valid UTF-8 / JSON / XML over $checked rendered inputs of ${#inputs[@]}"
else no "UTF-8 outputs" "$bad bad ($why), $checked rendered"; fi
