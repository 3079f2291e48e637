#!/usr/bin/python3
"""Checks the workbooks book/ writes with openpyxl, a reader other than ours.
  book_inspect.py template FILE.xlsx ja|en
  book_inspect.py annotate FILE.xlsx MODEL.json [PARTY]
Prints one "ok - ..." / "not ok - ...: why" line per check (the test protocol)."""
import json
import sys

import openpyxl

failed = False


def check(name, cond, why=""):
    global failed
    if cond:
        print(f"ok - {name}")
    else:
        failed = True
        print(f"not ok - {name}: {why}")


def template(path, lang):
    wb = openpyxl.load_workbook(path)
    names = wb.sheetnames
    check("template: the programme's sheets, list sheet last",
          names == ["基本情報記入シート", "回線・機器情報記入シート", "調査端末情報記入シート", "設置場所記入シート", "記入例", "選択肢"],
          names)
    check("template: the list sheet is hidden", wb["選択肢"].sheet_state == "hidden", wb["選択肢"].sheet_state)
    every = [str(c.value) for ws in wb.worksheets if ws.title != "記入例" for row in ws.iter_rows() for c in row
             if c.value is not None and ws.title != "回線・機器情報記入シート" or False]
    heads = [str(c.value or "") for row in wb["回線・機器情報記入シート"].iter_rows(min_row=5, max_row=6) for c in row]
    check("template: no password sheet or column",
          not any("パスワード" in n for n in names) and not any("パスワード" in h for h in heads)
          and not any("パスワード" in v and "記入しない" not in v for v in every), "")
    ws = wb["回線・機器情報記入シート"]
    merged = {str(r) for r in ws.merged_cells.ranges}
    check("template: 装置① / 装置② group labels merged over their 8 columns",
          "R5:Y5" in merged and "Z5:AG5" in merged and ws["R5"].value == "装置①" and ws["Z5"].value == "装置②", merged)
    check("template: plain headers span both header rows", "J5:J6" in merged and ws["J5"].value == "通信形態", "")
    fields = [ws.cell(6, c).value for c in range(18, 26)]
    check("template: device field names under each group",
          fields[0] == "装置の種類" and fields[3] == "メーカー" and ws.cell(6, 26).value == "装置の種類", fields)
    check("template: panes frozen below the header", ws.freeze_panes == "B7", ws.freeze_panes)
    check("template: columns have widths", all((ws.column_dimensions[c].width or 0) >= 7 for c in "ABJMQ"), "")
    dvs = ws.data_validations.dataValidation
    by_col = {}
    for dv in dvs:
        for rng in str(dv.sqref).split():
            col = "".join(ch for ch in rng.split(":")[0] if ch.isalpha())
            by_col[col] = dv
    check("template: every column has an input message",
          all(c in by_col and by_col[c].prompt for c in
              [openpyxl.utils.get_column_letter(i) for i in range(1, 35)]),
          sorted(set(openpyxl.utils.get_column_letter(i) for i in range(1, 35)) - set(by_col)))
    lists = wb["選択肢"]

    def values(formula):
        # ='選択肢'!$A$2:$A$5 -> the cells' values
        ref = formula.split("!")[1].replace("$", "")
        return [c.value for row in lists[ref] for c in row]

    want = {"J": ["インターネット", "インターネットVPN", "閉域網", "電話回線のみ"], "K": ["あり", "なし"],
            "L": ["固定IP", "動的IP"], "C": ["調査希望あり", "調査希望なし"], "W": ["はい", "いいえ"],
            "Z": ["ルーター", "ファイアウォール/UTM"], "B": ["あり", "なし"]}
    for col, vals in want.items():
        dv = by_col.get(col)
        ok = dv is not None and dv.type == "list" and dv.formula1.startswith("'選択肢'!") and values(dv.formula1) == vals
        check(f"template: pull-down of column {col} from the hidden list", ok,
              None if dv is None else (dv.type, dv.formula1))
    check("template: 装置① type list includes ONU and その他",
          "ONU" in values(by_col["R"].formula1) and "その他" in values(by_col["R"].formula1), "")
    check("template: closed lists stop other values, open lists only warn",
          by_col["J"].errorStyle in (None, "stop") and by_col["D"].errorStyle == "warning",
          (by_col["J"].errorStyle, by_col["D"].errorStyle))
    msg = by_col["J"].prompt
    if lang == "en":
        check("template --lang en: English input messages", "one row per form" in msg, msg)
        check("template --lang en: headers stay Japanese", ws["J5"].value == "通信形態", ws["J5"].value)
    else:
        check("template: 記入ルール in the input message (通信形態)", "行を分ける" in msg and "閉域網" in msg, msg)
        check("template: 補足① in the FQDN message", "プロバイダ" in by_col["N"].prompt, by_col["N"].prompt)
    check("template: input messages fit Excel (title ≤ 32, message ≤ 255 characters)",
          all(len(dv.promptTitle or "") <= 32 and len(dv.prompt or "") <= 255 for dv in dvs), "")
    basic = wb["基本情報記入シート"]
    keys = [basic.cell(r, 1).value for r in range(4, 10)]
    check("template: 基本情報 keys", keys == ["医療機関名", "所在地", "病床数", "調査日", "記入者", "連絡先"], keys)
    date = basic.cell(7, 2)
    check("template: 調査日 is a date cell", date.number_format.lower().startswith("yyyy"), date.number_format)
    bdv = [dv for dv in basic.data_validations.dataValidation if "B7" in str(dv.sqref)]
    check("template: 調査日 validated as a date", bdv and bdv[0].type == "date", [d.type for d in bdv])
    ex = wb["記入例"]
    check("template: 記入例 has example rows", ex["J7"].value == "インターネット" and ex["J9"].value == "閉域網",
          (ex["J7"].value, ex["J9"].value))
    term = wb["調査端末情報記入シート"]
    check("template: terminal sheet header", [term.cell(3, c).value for c in range(1, 4)] == ["No", "端末名", "OS"], "")


def annotate(path, model_path, party):
    wb = openpyxl.load_workbook(path)
    model = json.load(open(model_path, encoding="utf-8"))
    lst = wb["指摘一覧"]
    check("annotate: 指摘一覧 is the first sheet", wb.sheetnames[0] == "指摘一覧", wb.sheetnames)
    check("annotate: no password sheet", not any("パスワード" in n for n in wb.sheetnames), wb.sheetnames)
    rows = list(lst.iter_rows(min_row=11, values_only=False))
    listed = [(r[2].value, r[5].value, r[6].value) for r in rows if r[2].value]
    want = [(f["code"], f["row"] or None, f["column"] or None) for f in model["findings"]]
    if party is None:
        check("annotate: every finding listed, in the model's order", listed == want, (listed[:3], want[:3]))
    else:
        check("annotate: only a subset of the findings listed", set(listed) <= set(want) and len(listed) < len(want),
              (len(listed), len(want)))
    summary = "\n".join(str(lst.cell(r, 3).value) for r in range(2, 8))
    check("annotate: summary has the survey date, source and versions",
          (model["site"].get("survey_date") or "") in summary and "edgemap" in summary and "sha256:" in summary, summary)
    links = 0
    bad = []
    for r in rows:
        code, sheet, row, col = r[2].value, r[4].value, r[5].value, r[6].value
        link = r[9].hyperlink
        if not code:
            continue
        if link is None:
            continue
        links += 1
        target_sheet, cell = link.location.rsplit("!", 1)
        target_sheet = target_sheet.strip("'")
        ws = wb[target_sheet]
        c = ws[cell]
        if c.row != row:
            bad.append(("row", code, row, cell))
        if c.comment is None or code not in c.comment.text:
            bad.append(("comment", code, cell))
        hdr = " ".join(str(ws.cell(h, c.column).value or "") for h in (5, 6)) + str(ws.cell(1, c.column).value or "")
        if col and col.split(" ")[-1].split(",")[0] not in hdr.replace("\n", " ") and ws.cell(row, 1).coordinate != cell:
            bad.append(("column", code, col, cell, hdr))
    check("annotate: hyperlinks lead to the finding's row and a cell whose comment names it", links > 0 and not bad,
          (links, bad[:3]))
    marks = {"error": "✖", "warning": "▲", "info": "ⓘ"}
    fills_ok = True
    for r in rows:
        if r[9].hyperlink is None:
            continue
        ws_name, cell = r[9].hyperlink.location.rsplit("!", 1)
        c = wb[ws_name.strip("'")][cell]
        v = str(c.value or "")
        if not v[:1] in "✖▲ⓘ✔" or not c.fill or c.fill.fgColor.rgb in (None, "00000000"):
            fills_ok = False
    check("annotate: finding cells carry a mark and a fill", fills_ok, "")
    for ws in wb.worksheets[1:]:
        text = "\n".join(str(c.value) for row in ws.iter_rows() for c in row if c.value is not None)
        check(f"annotate: no password values on {ws.title}", "P@ssw0rd" not in text and "admin-sample" not in text, "")
    return marks


if sys.argv[1] == "template":
    template(sys.argv[2], sys.argv[3])
else:
    annotate(sys.argv[2], sys.argv[3], sys.argv[4] if len(sys.argv) > 4 else None)
sys.exit(1 if failed else 0)
