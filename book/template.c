/* template.c — the blank fill-in workbook the survey team sends out: the sheets of the
 * programme's 別紙2-1 workbook with the records.md headers, pull-downs drawn from a
 * hidden 選択肢 sheet, and an input message on every column that says in short what the
 * seed's 記入ルール and 補足① table ask. Headers stay Japanese in every language (the
 * reader matches them); notes and messages follow em_lang_get(). */
#include <stdio.h>
#include <string.h>

#include "book/book.h"
#include "mapper/lang.h"

#define LISTS_SHEET "選択肢"
#define REC_SHEET "回線・機器情報記入シート"
#define FIRST_DATA 6      /* 0-based: rows 5-6 hold the two-row header, data from row 7 */
#define N_BLANK_ROWS 60   /* bordered empty rows ready to fill */
#define N_VALID_ROWS 500  /* rows the pull-downs and messages cover */

/* The hidden list sheet: one column per list. */
enum list { L_NONE = -1, L_COMM, L_YESNO, L_IPKIND, L_SCAN, L_RENTAL, L_DEVTYPE, L_DEV2TYPE, L_PURPOSE,
            L_SYSTEM, L_MAKER, L_COUNT };
static const char *const lists[L_COUNT][16] = {
    [L_COMM] = {"通信形態", "インターネット", "インターネットVPN", "閉域網", "電話回線のみ"},
    [L_YESNO] = {"あり/なし", "あり", "なし"},
    [L_IPKIND] = {"固定IP/動的IP", "固定IP", "動的IP"},
    [L_SCAN] = {"脆弱性診断", "調査希望あり", "調査希望なし"},
    [L_RENTAL] = {"レンタル装置", "はい", "いいえ"},
    [L_DEVTYPE] = {"装置の種類", "ルーター", "ファイアウォール/UTM", "ONU", "モデム", "ホームゲートウェイ",
                   "VPN装置", "L3スイッチ", "その他"},
    [L_DEV2TYPE] = {"装置②の種類", "ルーター", "ファイアウォール/UTM"},
    [L_PURPOSE] = {"回線の用途", "インターネット接続", "リモート保守", "地域医療連携", "オンライン資格確認",
                   "クラウドサービス", "データセンター接続", "拠点間接続", "その他"},
    [L_SYSTEM] = {"システム名", "電子カルテ", "医事会計", "PACS", "検査", "薬剤", "給食", "自動精算機", "医療機器",
                  "部門システム"},
    [L_MAKER] = {"メーカー", "ヤマハ", "NEC", "Fortinet", "Cisco", "富士通", "アライドテレシス", "センチュリー・システムズ",
                 "Palo Alto Networks", "SonicWall", "Juniper", "その他"},
};

/* Closed enumerations refuse other values; lists people extend (用途, システム名,
 * メーカー, 装置の種類 with その他) only warn, as the seed allows free text there. */
static bool strict_list(enum list l)
{
    return l == L_COMM || l == L_YESNO || l == L_IPKIND || l == L_SCAN || l == L_RENTAL || l == L_DEV2TYPE;
}

struct column {
    const char *header;   /* the field name (row 6) */
    int group;            /* 0: spans both header rows, 1: under 装置①, 2: under 装置② */
    enum list list;
    double width;
    const char *ja, *en;  /* input message */
};

#define FW_JA "できるだけ実機で現在のバージョンを確認して記入。実機で確認できたら備考に「装置%s実機確認実施」と記入してください。"
#define FW_EN "Check the running version on the device itself if you can. When confirmed on the device, write 「装置%s実機確認実施」 in 備考."

static const struct column base_cols[] = {
    {"回線No", 0, L_NONE, 7,
     "回線ごとの番号。1本の回線を複数の通信形態で使う場合は通信形態ごとに行を分け、同じ回線Noを記入（セル結合も可）。",
     "Number of the physical line. One line used in several communication forms: one row per form with the same "
     "回線No (merged cells are fine)."},
    {"電子カルテシステムの所属する\nネットワークとの接続", 0, L_YESNO, 16,
     "電子カルテシステムの所属するネットワークと接続していれば「あり」。不明なら空欄のままにし、備考に「電子カルテシステムの所属ネットワークとの接続は不明」と記入。",
     "「あり」 if this line connects to the network the EMR system belongs to, 「なし」 if not. If unknown, leave it "
     "blank and write 「電子カルテシステムの所属ネットワークとの接続は不明」 in 備考."},
    {"脆弱性診断\n(調査希望)", 0, L_SCAN, 14,
     "グローバルIPアドレスへのリモート診断（ポートスキャン）を希望する場合「調査希望あり」。動的IPでは診断当日にアドレスの確認をお願いすることがあります。",
     "「調査希望あり」 to have the line's global IP address scanned remotely. With a dynamic IP you may be asked to "
     "confirm the address on the day of the scan."},
    {"回線の用途", 0, L_PURPOSE, 16, "プルダウンから選択。当てはまらなければ用途を直接記入。",
     "Pick from the list; if none fits, type the purpose."},
    {"システム名", 0, L_SYSTEM, 14, "この回線を使うシステム。プルダウンから選択、なければ直接記入。",
     "The system that uses this line. Pick from the list or type its name."},
    {"接続先", 0, L_NONE, 18, "回線の先にいる相手（ISP、保守業者名、データセンター名など）。",
     "Who is at the other end: ISP, maintenance vendor, data centre ..."},
    {"回線契約者", 0, L_NONE, 14, "回線の契約名義（病院、またはベンダー名）。",
     "Whose name the line is contracted in: the hospital or a vendor."},
    {"回線事業者", 0, L_NONE, 14, "回線事業者との契約内容を確認して記入（例: NTT東日本、KDDI）。",
     "The carrier, from the contract (e.g. NTT東日本, KDDI)."},
    {"回線サービス名", 0, L_NONE, 18, "例: フレッツ光ネクスト、フレッツ・VPN ワイド",
     "e.g. フレッツ光ネクスト, フレッツ・VPN ワイド"},
    {"通信形態", 0, L_COMM, 16,
     "「インターネット」「インターネットVPN」「閉域網」「電話回線のみ」から選択。複数あれば行を分ける。閉域網・電話回線のみはグローバルIP利用以降の灰色の欄は記入不要（診断対象外）。",
     "インターネット, インターネットVPN, 閉域網 or 電話回線のみ; one row per form. 閉域網 and 電話回線のみ leave the grey "
     "columns from グローバルIP利用 on blank (not scanned)."},
    {"グローバルIP利用", 0, L_YESNO, 10,
     "グローバルIPアドレスを利用していれば「あり」。インターネット・インターネットVPNは「あり」で診断可能。「なし」なら以降の灰色の欄は記入不要。",
     "「あり」 when the line uses a global IP address (インターネット / インターネットVPN: needed for the scan). "
     "「なし」: leave the grey columns after it blank."},
    {"固定IP/動的IP", 0, L_IPKIND, 10, "グローバルIP利用が「あり」なら必ず「固定IP」か「動的IP」を選択。",
     "Required when グローバルIP利用 is 「あり」: 固定IP or 動的IP."},
    {"グローバルIPアドレス", 0, L_NONE, 18,
     "回線が使用しているグローバルIPアドレス。「あり」かつ「固定IP」なら必須。プライベートアドレスは不可。「動的IP」で診断希望なら当日に医療機関へ連携。",
     "The line's global IP address; required with あり + 固定IP. Private addresses are not global. With 動的IP and "
     "a scan, tell the hospital the address on the day."},
    {"FQDN", 0, L_NONE, 20,
     "利用している場合、上のグローバルIPアドレス（装置①）に対応するFQDN。記入したらプロバイダ名・品目も記入。",
     "If used: the FQDN of the global IP address above (装置①). Then fill in プロバイダ名 and プロバイダ品目 too."},
    {"プロバイダ名", 0, L_NONE, 12, "FQDNを記入した場合は必須。", "Required when FQDN is filled in."},
    {"プロバイダ品目", 0, L_NONE, 14, "FQDNを記入した場合は必須（契約している品目）。",
     "Required when FQDN is filled in (the plan you contract)."},
    {"回線終端装置\n設置場所", 0, L_NONE, 20,
     "ONU・モデムなどの設置場所。棟・階・部屋名・ラック番号・ユニット番号まで、できるだけ詳しく。",
     "Where the ONU / modem sits: building, floor, room, rack and unit, as precisely as you can."},
};

static const struct column dev_cols[8] = {
    {"装置の種類", 0, L_DEVTYPE, 14, NULL, NULL},
    {"ホスト名", 0, L_NONE, 14, "装置のホスト名（任意）。同じ装置は同じホスト名で記入。",
     "The device's host name (optional); write the same device with the same name."},
    {"管理IPアドレス", 0, L_NONE, 14, "装置の管理用IPアドレス（任意、プライベートアドレス可）。",
     "Management IP address (optional; private addresses are fine here)."},
    {"メーカー", 0, L_MAKER, 14, "プルダウンから選択、なければ直接記入。", "Pick from the list or type the maker."},
    {"機種名", 0, L_NONE, 16, "例: RTX1210、UNIVERGE IX2215、FortiGate-60F", "e.g. RTX1210, UNIVERGE IX2215, FortiGate-60F"},
    {"レンタル装置", 0, L_RENTAL, 9, "レンタルしている装置なら「はい」、そうでなければ「いいえ」。",
     "「はい」 for a rented device, else 「いいえ」."},
    {"ファームウェア\nバージョン", 0, L_NONE, 16, NULL, NULL},
    {"設置場所", 0, L_NONE, 20, "ベンダ様で把握している場合に記入。棟・階・部屋名・ラック番号・ユニット番号まで。",
     "If you know it: building, floor, room, rack and unit."},
};

static const struct column remarks_col = {
    "備考", 0, L_NONE, 40,
    "自由記入。「装置①実機確認実施」「装置②実機確認実施」「電子カルテシステムの所属ネットワークとの接続は不明」はこの欄へ。パスワードは記入しないでください。",
    "Free text. 「装置①実機確認実施」, 「装置②実機確認実施」 and 「電子カルテシステムの所属ネットワークとの接続は不明」 go here. "
    "Never write passwords."};

#define N_BASE (sizeof base_cols / sizeof base_cols[0])
#define N_COLS (N_BASE + 16 + 1)

/* The column at index c of the records sheet (0 … N_COLS-1); group set for devices. */
static struct column col_at(size_t c)
{
    if (c < N_BASE) return base_cols[c];
    if (c == N_COLS - 1) return remarks_col;
    struct column k = dev_cols[(c - N_BASE) % 8];
    k.group = (int)((c - N_BASE) / 8) + 1;
    if (k.group == 2 && k.list == L_DEVTYPE) k.list = L_DEV2TYPE;
    return k;
}

/* The input message of a column, in the current language, into buf. */
static const char *message_of(const struct column *k, char *buf, size_t size)
{
    const char *g = k->group == 1 ? "①" : "②";
    if (k->list == L_DEVTYPE || k->list == L_DEV2TYPE) {
        snprintf(buf, size, "%s", k->group == 1
                 ? em_tr("装置①: インターネット回線や回線終端装置に紐づく装置の種類を選択。",
                         "装置①: the device attached to the line or its termination device; pick its type.")
                 : em_tr("装置②: 装置①に紐づく装置のうち「ルーター」か「ファイアウォール/UTM」に当たるもの。",
                         "装置②: the router or firewall/UTM behind 装置①; only ルーター or ファイアウォール/UTM."));
        return buf;
    }
    if (!k->ja) {   /* firmware: names its own group */
        snprintf(buf, size, em_tr(FW_JA, FW_EN), g);
        return buf;
    }
    snprintf(buf, size, "%s", em_tr(k->ja, k->en));
    return buf;
}

/* Each list's range on the 選択肢 sheet ("='選択肢'!$A$2:$A$5"): column l, from row 2
 * (row 1 names the list) to its last value. */
static void list_refs(char refs[L_COUNT][64])
{
    for (int l = 0; l < L_COUNT; l++) {
        int n = 0;
        while (n < 16 && lists[l][n]) n++;
        char cn[8];
        em_book_col_name(l, cn, sizeof cn);
        snprintf(refs[l], 64, "='%s'!$%s$2:$%s$%d", LISTS_SHEET, cn, cn, n);
    }
}

/* The hidden 選択肢 sheet the pull-downs draw from. */
static void lists_sheet(struct em_book *b)
{
    struct em_book_sheet *s = em_book_add_sheet(b, LISTS_SHEET, NULL, 0);
    if (!s) return;
    for (int l = 0; l < L_COUNT; l++) {
        for (int n = 0; n < 16 && lists[l][n]; n++)
            em_book_text(s, n, l, lists[l][n], n == 0 ? EM_BS_HEADER : EM_BS_NONE);
        em_book_width(s, l, l, 20);
    }
    em_book_hide(s);
}

/* The two-row header of the records sheet at rows r0, r0+1. */
static void records_header(struct em_book_sheet *s, long r0)
{
    for (size_t c = 0; c < N_COLS; c++) {
        struct column k = col_at(c);
        if (k.group == 0) em_book_merge(s, r0, (long)c, r0 + 1, (long)c, k.header, EM_BS_HEADER);
        else em_book_text(s, r0 + 1, (long)c, k.header, EM_BS_HEADER);
        em_book_width(s, (long)c, (long)c, k.width);
    }
    em_book_merge(s, r0, (long)N_BASE, r0, (long)N_BASE + 7, "装置①", EM_BS_GROUP);
    em_book_merge(s, r0, (long)N_BASE + 8, r0, (long)N_BASE + 15, "装置②", EM_BS_GROUP);
    em_book_height(s, r0, 22);
    em_book_height(s, r0 + 1, 42);
}

/* Pull-downs and input messages on rows first..last of every column. */
static void records_validations(struct em_book_sheet *s, long first, long last, char refs[L_COUNT][64])
{
    for (size_t c = 0; c < N_COLS; c++) {
        struct column k = col_at(c);
        char title[256], msg[1024];
        snprintf(title, sizeof title, "%s%s", k.group == 1 ? "装置① " : k.group == 2 ? "装置② " : "", k.header);
        for (char *p = title; *p; p++)
            if (*p == '\n') *p = ' ';
        em_book_validation(s, first, last, (long)c, k.list == L_NONE ? NULL : refs[k.list], title,
                           message_of(&k, msg, sizeof msg), strict_list(k.list));
    }
}

static const char *notes_ja[] = {
    "※1回線で複数の通信形態がある場合は、通信形態ごとに行を分けてご記入ください（回線Noは同じ番号）。",
    "※「閉域網」「電話回線のみ」、またはグローバルIP利用「なし」の場合、グローバルIP利用以降のグレーアウトの欄は記入不要です（記入パターンは「記入例」シートの補足①）。",
    "※ファームウェアを実機で確認できた場合は、備考欄に「装置①実機確認実施」「装置②実機確認実施」とご記入ください。パスワード類は記入しないでください。",
};
static const char *notes_en[] = {
    "* One physical line used in several communication forms: one row per form, with the same 回線No.",
    "* 閉域網 / 電話回線のみ, or グローバルIP利用 = なし: the grey columns from グローバルIP利用 on stay blank (patterns: "
    "補足① on the 記入例 sheet).",
    "* Firmware confirmed on the device: write 「装置①実機確認実施」 / 「装置②実機確認実施」 in 備考. Never write passwords.",
};

/* Title and notes above the header (rows 1-4). */
static void records_notes(struct em_book_sheet *s, const char *title)
{
    em_book_text(s, 0, 0, title, EM_BS_TITLE);
    for (int i = 0; i < 3; i++)
        em_book_text(s, 1 + i, 0, em_lang_get() == EM_LANG_EN ? notes_en[i] : notes_ja[i], EM_BS_NOTE);
}

/* Greys the columns a 閉域網 / 電話回線のみ row leaves blank: グローバルIP利用 … プロバイダ品目. */
static bool greyed(size_t c)
{
    return c >= 10 && c <= 15;
}

static void records_sheet(struct em_book *b, char refs[L_COUNT][64])
{
    struct em_book_sheet *s = em_book_add_sheet(b, REC_SHEET, NULL, 0);
    if (!s) return;
    records_notes(s, REC_SHEET);
    records_header(s, FIRST_DATA - 2);
    for (long r = FIRST_DATA; r < FIRST_DATA + N_BLANK_ROWS; r++)
        for (size_t c = 0; c < N_COLS; c++) em_book_text(s, r, (long)c, NULL, EM_BS_PLAIN);
    records_validations(s, FIRST_DATA, FIRST_DATA + N_VALID_ROWS - 1, refs);
    em_book_freeze(s, FIRST_DATA, 1);
    em_book_print_setup(s, 8, FIRST_DATA);
    em_book_activate(s);
}

/* Example rows: a fibre used for Internet and Internet VPN, a closed network, a phone line. */
static const char *const examples[][N_COLS] = {
    {"1", "あり", "調査希望あり", "インターネット接続", "電子カルテ", "OCN", "病院", "NTT東日本", "フレッツ光クロス",
     "インターネット", "あり", "固定IP", "203.0.113.10", "gw.example.jp", "OCN", "OCN光 固定IP1",
     "本館1F 通信機械室 ラック1 U42", "ルーター", "rt01", "192.168.10.1", "ヤマハ", "RTX1210", "いいえ",
     "Rev.14.01.42", "本館1F 通信機械室 ラック1 U40", "ファイアウォール/UTM", "utm01", "192.168.10.254", "Fortinet",
     "FortiGate-100F", "はい", "v7.4.4", "本館1F 通信機械室 ラック1 U38", "装置①実機確認実施、装置②実機確認実施"},
    {"1", "あり", "調査希望あり", "リモート保守", "電子カルテ", "電子カルテ保守（例）株式会社", "病院", "NTT東日本",
     "フレッツ光クロス", "インターネットVPN", "あり", "固定IP", "203.0.113.10", "", "", "", "本館1F 通信機械室 ラック1 U42",
     "ルーター", "rt01", "192.168.10.1", "ヤマハ", "RTX1210", "いいえ", "Rev.14.01.42", "本館1F 通信機械室 ラック1 U40",
     "", "", "", "", "", "", "", "", "装置①実機確認実施"},
    {"2", "あり", "調査希望なし", "地域医療連携", "地域医療連携システム", "地域医療ネット（例）", "病院", "NTT東日本",
     "フレッツ・VPN ワイド", "閉域網", "", "", "", "", "", "", "本館1F 通信機械室 ラック2", "ルーター", "renkei-rt01",
     "192.168.30.1", "ヤマハ", "NVR510", "いいえ", "Rev.15.01.24", "本館1F 通信機械室 ラック2", "", "", "", "", "", "",
     "", "", "装置①実機確認実施"},
    {"3", "なし", "調査希望なし", "リモート保守", "医療機器", "医療機器保守センター（例）", "病院", "NTT東日本",
     "加入電話（アナログ）", "電話回線のみ", "", "", "", "", "", "", "本館B1F MRI操作室", "モデム", "", "", "（例）メーカー",
     "MODEM-56", "はい", "", "本館B1F MRI操作室", "", "", "", "", "", "", "", "", ""},
};

/* 補足①: what each communication form fills in (the seed's pattern table). */
static const char *const pattern[][7] = {
    {"通信形態", "グローバルIP利用", "固定IP/動的IP", "グローバルIPアドレス", "FQDN", "プロバイダ契約", "脆弱性診断"},
    {"インターネット", "あり", "記入必須", "記入必須（固定IP）", "任意", "FQDNがあれば記入", "診断可能"},
    {"インターネットVPN", "あり", "記入必須", "記入必須（固定IP）", "任意", "FQDNがあれば記入", "診断可能"},
    {"閉域網", "なし", "記入不要", "記入不要", "記入不要", "記入不要", "診断対象外"},
    {"電話回線のみ", "なし", "記入不要", "記入不要", "記入不要", "記入不要", "診断対象外"},
};

static void example_sheet(struct em_book *b)
{
    struct em_book_sheet *s = em_book_add_sheet(b, "記入例", NULL, 0);
    if (!s) return;
    em_book_text(s, 0, 0, em_tr("記入例（この シートは読み取られません）", "Examples (this sheet is not read)"), EM_BS_TITLE);
    em_book_text(s, 1, 0, em_tr("回線1はフレッツ光1本をインターネットとインターネットVPNの2つの通信形態で使う例（2行、同じ回線No）。",
                                "Line 1: one fibre used as インターネット and インターネットVPN (two rows, same 回線No)."),
                 EM_BS_NOTE);
    em_book_text(s, 2, 0, em_tr("回線2は閉域網、回線3は電話回線のみ: グローバルIP利用以降は記入不要。",
                                "Line 2 is 閉域網, line 3 電話回線のみ: nothing from グローバルIP利用 on."),
                 EM_BS_NOTE);
    records_header(s, FIRST_DATA - 2);
    size_t n = sizeof examples / sizeof examples[0];
    for (size_t r = 0; r < n; r++)
        for (size_t c = 0; c < N_COLS; c++) {
            bool grey = greyed(c) && (strcmp(examples[r][9], "閉域網") == 0 || strcmp(examples[r][9], "電話回線のみ") == 0);
            em_book_text(s, FIRST_DATA + (long)r, (long)c, examples[r][c], grey ? EM_BS_ACCEPTED : EM_BS_EXAMPLE);
        }
    long pr = FIRST_DATA + (long)n + 2;
    em_book_text(s, pr, 0, em_tr("補足①：通信形態ごとの記入パターン", "補足①: what each communication form fills in"),
                 EM_BS_TITLE);
    for (size_t r = 0; r < sizeof pattern / sizeof pattern[0]; r++)
        for (size_t c = 0; c < 7; c++)
            em_book_text(s, pr + 1 + (long)r, (long)c + 9, pattern[r][c], r == 0 ? EM_BS_HEADER : EM_BS_PLAIN);
    em_book_freeze(s, FIRST_DATA, 1);
}

/* 基本情報記入シート: key/value rows as the reader expects (key in A, value in B). */
static void basic_sheet(struct em_book *b, const struct em_book_template_opts *o)
{
    struct em_book_sheet *s = em_book_add_sheet(b, "基本情報記入シート", NULL, 0);
    if (!s) return;
    em_book_text(s, 0, 0, "基本情報記入シート", EM_BS_TITLE);
    em_book_text(s, 1, 0, em_tr("※医療機関様がご記入ください（ベンダ様は記入不要です）。",
                                "* To be filled in by the hospital (vendors need not fill this sheet)."),
                 EM_BS_NOTE);
    static const char *keys[] = {"医療機関名", "所在地", "病床数", "調査日", "記入者", "連絡先"};
    const char *msgs[6] = {
        em_tr("医療機関の正式名称。構成図と報告書の表題に使われます。", "The hospital's name, used in the titles of the diagram and report."),
        em_tr("所在地（都道府県から）。", "Address (from the prefecture)."),
        em_tr("許可病床数（数字）。", "Number of licensed beds (a number)."),
        em_tr("現地調査の日付（例 2026/11/25）。ファームウェアやOSのサポート期限はこの日で判定します。",
              "Date of the on-site survey (e.g. 2026/11/25). Firmware and OS support are judged on this date."),
        em_tr("記入した方の部署・氏名。", "Department and name of the person filling in."),
        em_tr("問い合わせ先の電話番号・メールアドレス。", "Phone or e-mail for questions."),
    };
    for (int i = 0; i < 6; i++) {
        long r = 3 + i;
        em_book_text(s, r, 0, keys[i], EM_BS_KEY);
        if (i == 3) {
            int y, m, d;
            if (o && em_book_parse_date(o->survey_date, &y, &m, &d))
                em_book_date(s, r, 1, y, m, d);
            else
                em_book_text(s, r, 1, NULL, EM_BS_DATE);
            em_book_validation_date(s, r, 1, keys[i], msgs[i]);
        } else {
            em_book_text(s, r, 1, i == 0 && o && o->site_name ? o->site_name : NULL, EM_BS_PLAIN);
            em_book_validation(s, r, r, 1, NULL, keys[i], msgs[i], false);
        }
    }
    em_book_width(s, 0, 0, 16);
    em_book_width(s, 1, 1, 48);
}

static void terminals_sheet(struct em_book *b, char refs[L_COUNT][64])
{
    struct em_book_sheet *s = em_book_add_sheet(b, "調査端末情報記入シート", NULL, 0);
    if (!s) return;
    em_book_text(s, 0, 0, "調査端末情報記入シート", EM_BS_TITLE);
    em_book_text(s, 1, 0, em_tr("※医療機関様がご記入ください。調査する端末（Windows）を記入します。",
                                "* To be filled in by the hospital: the (Windows) terminals to be surveyed."),
                 EM_BS_NOTE);
    static const char *h[] = {"No", "端末名", "OS", "ウイルス対策ソフト", "バージョン", "USB閉塞", "所属システム", "設置場所"};
    const char *msg[8] = {
        NULL,
        em_tr("端末のコンピューター名。", "The terminal's computer name."),
        em_tr("エディションとバージョンまで（例 Windows 11 Enterprise 24H2、Windows 10 Enterprise LTSC 2021）。",
              "Edition and version (e.g. Windows 11 Enterprise 24H2, Windows 10 Enterprise LTSC 2021)."),
        em_tr("製品名。入っていなければ「なし」。", "Product name; 「なし」 if none."),
        em_tr("ウイルス対策ソフトのバージョン。", "Version of the antivirus software."),
        em_tr("USBメモリ等の使用を禁止（閉塞）していれば「あり」。", "「あり」 when USB storage is blocked."),
        em_tr("端末が属するシステム（回線・機器情報記入シートのシステム名と同じ書き方で）。",
              "The system the terminal belongs to (written as in システム名 of the records sheet)."),
        em_tr("棟・階・部屋名。", "Building, floor, room."),
    };
    for (int c = 0; c < 8; c++) {
        em_book_text(s, 2, c, h[c], EM_BS_HEADER);
        em_book_width(s, c, c, c == 0 ? 5 : c == 2 ? 34 : 20);
        for (long r = 3; r < 13; r++)
            if (c == 0) em_book_number(s, r, 0, (double)(r - 2), EM_BS_PLAIN);
            else em_book_text(s, r, c, NULL, EM_BS_PLAIN);
        if (msg[c])
            em_book_validation(s, 3, 102, c, c == 5 ? refs[L_YESNO] : c == 6 ? refs[L_SYSTEM] : NULL, h[c], msg[c],
                               c == 5);
    }
    em_book_freeze(s, 3, 0);
}

static void locations_sheet(struct em_book *b)
{
    static const char *h[] = {"棟", "階", "部屋名", "ラック番号", "ユニット番号", "備考"};
    struct em_book_sheet *s = em_book_add_sheet(b, "設置場所記入シート", h, 6);
    if (!s) return;
    em_book_validation(s, 1, 200, 0, NULL, "設置場所",
                       em_tr("回線終端装置や装置を置く場所の一覧。各シートの設置場所の欄はこの名前で書いてください。",
                             "Places where line terminations and devices sit; use these names in the location columns."),
                       false);
    for (long r = 1; r < 21; r++)
        for (long c = 0; c < 6; c++) em_book_text(s, r, c, NULL, EM_BS_PLAIN);
}

int em_book_template(struct em_outset *set, size_t idx, const struct em_book_template_opts *o, struct em_err *err)
{
    struct em_book *b = em_book_new(set, idx, err);
    if (!b) return err ? err->rc : EM_ERR_IO;
    em_book_properties(b, "回線・機器情報記入シート", em_tr("医療機関の外部接続調査 記入用ブック",
                                                      "Survey of the hospital's external connections: fill-in workbook"));
    char refs[L_COUNT][64];
    list_refs(refs);
    /* the sheet order of the programme's workbook; the list sheet last and hidden */
    basic_sheet(b, o);
    records_sheet(b, refs);
    terminals_sheet(b, refs);
    locations_sheet(b);
    example_sheet(b);
    lists_sheet(b);
    return em_book_close(b, err);
}
