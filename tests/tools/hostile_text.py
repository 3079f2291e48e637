#!/usr/bin/env python3
"""hostile_text.py — records with control characters and formula cells, as a
hostile filler would write them: writes OUTDIR/hostile.csv (raw ESC, BEL, DEL, C1
CSI/NEL in cells; cells starting with = + - @) from a records CSV, and
OUTDIR/hostile.xlsx (_x001B_ / _x0007_ escapes, the way Excel stores a control
character, and a formula-looking value) from a workbook.

    hostile_text.py RECORDS.csv WORKBOOK.xlsx OUTDIR
"""
import csv
import sys
import zipfile

src_csv, src_xlsx, out = sys.argv[1:4]

rows = list(csv.reader(open(src_csv, encoding="utf-8")))
head = rows[0]


def put(row, name, value):
    row[head.index(name)] = value


r = rows[1]
put(r, "回線事業者", "-2+3+cmd|' /C calc'!A0")
put(r, "回線サービス名", '=HYPERLINK("http://evil.example")')
put(r, "システム名", "電子カルテ\x1b]0;pwned\x07\x1b[31m赤")
put(r, "接続先", "OCN\u009b31m\u0085")
put(r, "回線終端装置設置場所", "@SUM(1)")
put(r, "回線契約者", "+1")
put(r, "装置①_機種名", "RTX\x1b[2J1300")
put(r, "備考", "bell\x07 del\x7f end")
with open(f"{out}/hostile.csv", "w", encoding="utf-8", newline="") as f:
    csv.writer(f).writerows(rows)

zin = zipfile.ZipFile(src_xlsx)
with zipfile.ZipFile(f"{out}/hostile.xlsx", "w", zipfile.ZIP_DEFLATED) as zout:
    for info in zin.infolist():
        data = zin.read(info.filename)
        if info.filename == "xl/sharedStrings.xml":
            t = data.decode("utf-8")
            t = t.replace(">電子カルテ<", ">電子カルテ_x001B_[31m_x0007_赤_x009B_<", 1)
            t = t.replace(">RTX830<", ">RTX_x001B_]0;pwned_x0007_830<", 1)
            t = t.replace(">フレッツ光クロス<", ">-1+cmd|'/C calc'!A0<", 1)
            t = t.replace(">装置①実機確認実施、装置②実機確認実施<", ">_x001B_[2J確認中<", 1)
            data = t.encode("utf-8")
        zout.writestr(info, data)
