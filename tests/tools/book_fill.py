#!/usr/bin/python3
"""Fills the blank template the way a hospital and its vendor would in Excel
(openpyxl keeps the sheets, merges, pull-downs and styles, as Excel does on save):
基本情報 with a typed date, records rows from row 7 with planted mistakes, one
terminal. Usage: book_fill.py TEMPLATE.xlsx OUT.xlsx
The planted findings (code, row) are printed on stdout, one per line."""
import datetime
import sys

import openpyxl

wb = openpyxl.load_workbook(sys.argv[1])
basic = wb["基本情報記入シート"]
keys = {basic.cell(r, 1).value: r for r in range(1, 20)}
basic.cell(keys["医療機関名"], 2).value = "テスト記念病院"
basic.cell(keys["所在地"], 2).value = "東京都テスト区1-2-3"
basic.cell(keys["病床数"], 2).value = 120
basic.cell(keys["調査日"], 2).value = datetime.datetime(2026, 11, 25)
basic.cell(keys["記入者"], 2).value = "情報システム課 試験 太郎"

ws = wb["回線・機器情報記入シート"]
# the header is found by text, like the reader does: the columns by their field name
head = {}
for c in range(1, ws.max_column + 1):
    up = ws.cell(5, c).value
    low = ws.cell(6, c).value
    name = (low or up or "").replace("\n", "")
    group = None
    for cc in range(c, 0, -1):     # the merged group label to the left
        v = ws.cell(5, cc).value
        if v in ("装置①", "装置②"):
            group = v
            break
        if v:
            break
    head[(group, name)] = c

FW1 = "装置①実機確認実施"
rows = [
    # clean: Internet, fixed global IP, verified router
    ({"回線No": 1, "電子カルテシステムの所属するネットワークとの接続": "あり", "脆弱性診断(調査希望)": "調査希望あり",
      "回線の用途": "インターネット接続", "システム名": "電子カルテ", "接続先": "OCN", "回線契約者": "病院",
      "回線事業者": "NTT東日本", "回線サービス名": "フレッツ光クロス", "通信形態": "インターネット",
      "グローバルIP利用": "あり", "固定IP/動的IP": "固定IP", "グローバルIPアドレス": "203.0.113.10",
      "回線終端装置設置場所": "本館1F 通信機械室", "備考": FW1},
     {"装置の種類": "ルーター", "メーカー": "NEC", "機種名": "UNIVERGE IX2215", "レンタル装置": "いいえ",
      "ファームウェアバージョン": "10.8.21", "設置場所": "本館1F 通信機械室"}, None, []),
    # 固定IP/動的IP forgotten -> E-IP-KIND-MISSING
    ({"回線No": 2, "電子カルテシステムの所属するネットワークとの接続": "あり", "脆弱性診断(調査希望)": "調査希望なし",
      "回線の用途": "リモート保守", "システム名": "PACS", "接続先": "メディビュー株式会社", "回線契約者": "病院",
      "回線事業者": "NTT東日本", "回線サービス名": "フレッツ光ネクスト", "通信形態": "インターネットVPN",
      "グローバルIP利用": "あり", "回線終端装置設置場所": "本館B1F", "備考": FW1},
     {"装置の種類": "ルーター", "メーカー": "NEC", "機種名": "UNIVERGE IX2215", "レンタル装置": "はい",
      "ファームウェアバージョン": "10.8.21", "設置場所": "本館B1F"}, None, ["E-IP-KIND-MISSING"]),
    # a closed network with the grey columns filled -> W-NOT-NEEDED
    ({"回線No": 3, "電子カルテシステムの所属するネットワークとの接続": "あり", "脆弱性診断(調査希望)": "調査希望なし",
      "回線の用途": "地域医療連携", "システム名": "地域医療連携システム", "接続先": "地域ネット", "回線契約者": "病院",
      "回線事業者": "NTT東日本", "回線サービス名": "フレッツ・VPN ワイド", "通信形態": "閉域網",
      "グローバルIP利用": "なし", "グローバルIPアドレス": "198.51.100.7", "回線終端装置設置場所": "本館1F", "備考": FW1},
     {"装置の種類": "ルーター", "メーカー": "NEC", "機種名": "UNIVERGE IX2215", "レンタル装置": "いいえ",
      "ファームウェアバージョン": "10.8.21", "設置場所": "本館1F"}, None, ["W-NOT-NEEDED"]),
    # a private address as the global IP, 装置② an ONU -> E-IP-NOT-GLOBAL, E-DEV2-TYPE
    ({"回線No": 4, "電子カルテシステムの所属するネットワークとの接続": "なし", "脆弱性診断(調査希望)": "調査希望あり",
      "回線の用途": "クラウドサービス", "システム名": "医事会計", "接続先": "クラウド事業者", "回線契約者": "(株)メディビュー",
      "回線事業者": "KDDI", "回線サービス名": "auひかり", "通信形態": "インターネット",
      "グローバルIP利用": "あり", "固定IP/動的IP": "固定IP", "グローバルIPアドレス": "192.168.1.1",
      "回線終端装置設置場所": "本館2F", "備考": FW1},
     {"装置の種類": "ルーター", "メーカー": "NEC", "機種名": "UNIVERGE IX2215", "レンタル装置": "いいえ",
      "ファームウェアバージョン": "10.8.21", "設置場所": "本館2F"},
     {"装置の種類": "ONU", "メーカー": "NEC", "機種名": "GE-PON", "レンタル装置": "はい", "設置場所": "本館2F"},
     ["E-IP-NOT-GLOBAL", "E-DEV2-TYPE"]),
    # clean: phone line only
    ({"回線No": 5, "電子カルテシステムの所属するネットワークとの接続": "なし", "脆弱性診断(調査希望)": "調査希望なし",
      "回線の用途": "リモート保守", "システム名": "医療機器", "接続先": "保守センター", "回線契約者": "病院",
      "回線事業者": "NTT東日本", "回線サービス名": "加入電話", "通信形態": "電話回線のみ",
      "グローバルIP利用": "なし", "回線終端装置設置場所": "本館B1F MRI室"},
     {"装置の種類": "モデム", "メーカー": "メーカーA", "機種名": "MODEM-56", "レンタル装置": "はい",
      "設置場所": "本館B1F MRI室"}, None, []),
]
for i, (base, d1, d2, planted) in enumerate(rows):
    r = 7 + i
    for k, v in base.items():
        ws.cell(r, head[(None, k)]).value = v
    for group, d in (("装置①", d1), ("装置②", d2)):
        for k, v in (d or {}).items():
            ws.cell(r, head[(group, k)]).value = v
    for code in planted:
        print(f"{code}\t{r}")

term = wb["調査端末情報記入シート"]
term.cell(4, 2).value = "PC-001"
term.cell(4, 3).value = "Windows 11 Enterprise 24H2"
term.cell(4, 4).value = "Microsoft Defender"
term.cell(4, 5).value = "4.18"
term.cell(4, 6).value = "あり"
term.cell(4, 7).value = "電子カルテ"
wb.save(sys.argv[2])
