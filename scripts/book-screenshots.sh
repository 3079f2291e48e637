#!/bin/sh
# Regenerates the user guide's screenshots of the annotated workbook (docs/book-*.png):
# edgemap annotate on the sample hospital, printed to PDF by LibreOffice Calc headless
# (A4/A3 landscape, as set by book/annotate.c), pages cropped with pdftoppm.
set -eu
cd "$(dirname "$0")/.."
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
./edgemap annotate samples/hospital.xlsx -o "$T/annotated.xlsx" || [ $? -eq 1 ]
(cd "$T" && soffice "-env:UserInstallation=file://$T/profile" --headless --norestore \
    --convert-to pdf annotated.xlsx >/dev/null 2>&1)
pdftoppm -r 110 -f 1 -l 1 -x 60 -y 60 -W 1440 -H 560 -png "$T/annotated.pdf" "$T/list"
pdftoppm -r 220 -f 2 -l 2 -x 60 -y 60 -W 1700 -H 560 -png "$T/annotated.pdf" "$T/records"
cp "$T/list-1.png" docs/book-annotated-list.png
cp "$T/records-2.png" docs/book-annotated-records.png
echo "docs/book-annotated-list.png docs/book-annotated-records.png"
