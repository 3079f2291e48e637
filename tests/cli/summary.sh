#!/bin/bash
# summary.sh — "say what happened": render, targets and annotate end with one line on stderr
# (files written, findings by severity, what the exit status means); outputs name each
# input as given on the command line (never made absolute), and --redact replaces the
# input names by placeholders in every output.
set -u
: "${EDGEMAP:?}" "${ROOT:?}"
ok() { echo "ok - $1"; }
nok() { echo "not ok - $1: $2"; }
T=$(mktemp -d /tmp/em-summary.XXXXXX)
trap 'rm -rf "$T"' EXIT
export LC_ALL= LC_MESSAGES= LANG=C.UTF-8
SECRET="みなと中央病院_機密"
mkdir -p "$T/$SECRET/in" "$T/out"
cp "$ROOT/tests/cli/data/render_small.csv" "$T/$SECRET/in/records.csv"
head -3 "$ROOT/tests/cli/data/render_small.csv" > "$T/$SECRET/in/clean.csv"
cd "$T/$SECRET" || exit 2
OUTS="-o ../out/m.svg -o ../out/m.pdf -o ../out/m.dot -o ../out/m.json -o ../out/r.html -o ../out/t.csv"

# --- the summary line -------------------------------------------------------------
# shellcheck disable=SC2086
"$EDGEMAP" render in/records.csv --survey-date 2026-11-20 $OUTS 2>"$T/err"; rc=$?
n=$(wc -l <"$T/err")
if [ $rc -eq 1 ] && [ "$n" -eq 1 ] && grep -q '^edgemap render: 6 個のファイルを書きました（../out/m.svg, ../out/m.pdf, ../out/m.dot, ../out/m.json, ../out/r.html, ../out/t.csv）' "$T/err" \
   && grep -q 'エラー 2、警告 2、情報 4' "$T/err" && grep -q '終了状態 1: エラーの指摘があります（出力は書き終えています）' "$T/err"; then
    ok "render: one summary line (files, findings by severity, exit 1 explained)"
else nok "render summary" "exit $rc, $n lines: $(cat "$T/err")"; fi
"$EDGEMAP" render in/clean.csv --lang en -o ../out/c.svg 2>"$T/err"; rc=$?
if [ $rc -eq 0 ] && grep -q '^edgemap render: wrote 1 file (../out/c.svg); findings: 0 errors, 0 warnings, 3 info; exit status 0: no error findings$' "$T/err"; then
    ok "render: summary in English, exit 0 explained"
else nok "render summary en" "exit $rc: $(cat "$T/err")"; fi
"$EDGEMAP" targets in/records.csv >"$T/t.csv" 2>"$T/err"; rc=$?
[ $rc -eq 1 ] && [ -s "$T/t.csv" ] && grep -q '^edgemap targets: 標準出力に書きました。指摘: エラー 2' "$T/err" \
    && ok "targets to stdout: summary on stderr" || nok "targets summary" "exit $rc: $(cat "$T/err")"
"$EDGEMAP" targets in/records.csv -o ../out/t2.csv 2>"$T/err"; rc=$?
[ $rc -eq 1 ] && grep -q '1 個のファイルを書きました（../out/t2.csv）' "$T/err" && ok "targets -o: summary names the file" \
    || nok "targets -o summary" "exit $rc: $(cat "$T/err")"

"$EDGEMAP" annotate in/records.csv -o ../out/a.xlsx 2>"$T/err"; rc=$?
[ $rc -eq 1 ] && [ "$(wc -l <"$T/err")" -eq 1 ] && grep -q '^edgemap annotate: 1 個のファイルを書きました（../out/a.xlsx）。指摘: エラー 2' "$T/err" \
    && ok "annotate: one summary line" || nok "annotate summary" "exit $rc: $(cat "$T/err")"

# --- inputs named as given, never made absolute -----------------------------------
j=$(python3 -c 'import json,sys; m=json.load(open(sys.argv[1])); print(m["sources"], sorted({f["file"] for f in m["findings"]}))' ../out/m.json)
[ "$j" = "['in/records.csv'] ['in/records.csv']" ] && ok "model names the input as given (relative)" || nok "relative input" "$j"
bad=$(grep -l "$T" ../out/m.* ../out/r.html ../out/t.csv 2>/dev/null)
[ -z "$bad" ] && ok "no output holds an absolute path made from a relative input" || nok "absolute path leaked" "$bad"
grep -q 'in/records.csv' ../out/r.html && ok "report names the input as given" || nok "report input name" "in/records.csv not in r.html"
"$EDGEMAP" check --format json "$T/$SECRET/in/records.csv" > "$T/abs.json"
python3 -c 'import json,sys; m=json.load(open(sys.argv[1])); assert m["sources"]==[sys.argv[2]]' "$T/abs.json" "$T/$SECRET/in/records.csv" \
    && ok "an absolute input stays as given" || nok "absolute input" "sources differ"

# --- --redact: input names become placeholders in every output ----------------------
# shellcheck disable=SC2086
"$EDGEMAP" render --redact "$T/$SECRET/in/records.csv" -o ../out/x.svg -o ../out/x.pdf -o ../out/x.png \
    -o ../out/x.dot -o ../out/x.json -o ../out/x.html -o ../out/x.csv 2>"$T/err"
leak=""
for f in ../out/x.*; do
    grep -q -e "$SECRET" -e "records.csv" -e "$T" "$f" && leak="$leak $f"
done
command -v pdftotext >/dev/null && pdftotext ../out/x.pdf - | grep -q -e "$SECRET" -e records.csv && leak="$leak x.pdf(text)"
command -v pdfinfo >/dev/null && pdfinfo ../out/x.pdf | grep -q -e "$SECRET" -e records.csv && leak="$leak x.pdf(info)"
[ -z "$leak" ] && ok "--redact: no output names the input's folder or file" || nok "--redact leaks the input path" "$leak"
j=$(python3 -c 'import json,sys; m=json.load(open(sys.argv[1])); print(m["sources"], sorted({f["file"] for f in m["findings"]}))' ../out/x.json)
[ "$j" = "['INPUT-1.csv'] ['INPUT-1.csv']" ] && ok "--redact: the input is INPUT-1.csv in the model" || nok "--redact placeholder" "$j"
grep -q 'INPUT-1.csv' ../out/x.html && ok "--redact: the report names INPUT-1.csv" || nok "--redact report" "no INPUT-1.csv"
