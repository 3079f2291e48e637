#!/bin/sh
# make demo: runs edgemap on the bundled samples and says where the outputs are.
# check exits 1 when a sample has error findings (they do, on purpose), so its status
# is reported, not treated as a failure; exit 2 (unreadable input) is a failure.
set -u
cd "$(dirname "$0")/.." || exit 2
EM=${EDGEMAP:-./edgemap}
mkdir -p out
status=0

run_check() {
    echo "==> $EM check $*"
    "$EM" check "$@"
    rc=$?
    case $rc in
        0) echo "(exit 0: no error findings)" ;;
        1) echo "(exit 1: the sample has error findings, as intended)" ;;
        *) echo "(exit $rc: FAILED)"; status=1 ;;
    esac
    echo
}

run_check samples/hospital.xlsx
run_check samples/clinic.csv
"$EM" check --format json samples/hospital.xlsx > out/hospital-model.json
[ $? -le 1 ] || status=1

if "$EM" render --help >/dev/null 2>&1; then
    echo "==> $EM render samples/hospital.xlsx -o out/hospital.svg -o out/hospital.pdf -o out/hospital.png -o out/hospital-report.html"
    "$EM" render samples/hospital.xlsx -o out/hospital.svg -o out/hospital.pdf -o out/hospital.png \
        -o out/hospital-report.html
    [ $? -le 1 ] || status=1
    "$EM" render samples/clinic.csv -o out/clinic.svg -o out/clinic.pdf -o out/clinic-report.html
    [ $? -le 1 ] || status=1
    "$EM" targets samples/hospital.xlsx -o out/hospital-targets.csv
    [ $? -le 1 ] || status=1
fi
# the survey loop: the blank workbook to send out, and the sample hospital's records
# with every finding on its cell, to send back
echo "==> $EM template -o out/回線・機器情報記入シート.xlsx"
"$EM" template -o "out/回線・機器情報記入シート.xlsx" || status=1
echo "==> $EM annotate samples/hospital.xlsx -o out/hospital-指摘.xlsx"
"$EM" annotate samples/hospital.xlsx -o "out/hospital-指摘.xlsx"
[ $? -le 1 ] || status=1
"$EM" annotate samples/hospital.xlsx --party "メディカルシステムサービス" -o "out/hospital-指摘-メディカルシステムサービス.xlsx"
[ $? -le 1 ] || status=1
echo
echo "Outputs are in $(pwd)/out:"
ls -1 out | sed 's/^/  out\//'
exit $status
