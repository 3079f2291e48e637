/* fleet_gen.c — N realistic hospital folders for the fleet tests and benchmark.
 *   fleet_gen OUTDIR N [SEED]
 * Each hospital gets 5-80 lines (most hospitals small, a few large), each line 1-3
 * rows (communication forms). Remote parties come from a shared pool of vendor
 * companies with long-tailed (Zipf) popularity, each with one or two data centres
 * that many hospitals reach over closed networks — so hubs appear as they do in life.
 * Devices come from a pool of real makers/models with firmware, some of it in the
 * advisory data's vulnerable ranges. About 70% of hospitals are workbooks (.xlsx with
 * 基本情報記入シート, libxlsxwriter as samples/gen does) and 30% CP932 CSV exports with
 * a hospital-id.txt. Deterministic for a given SEED. */
#include <errno.h>
#include <glib.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <xlsxwriter.h>

static unsigned long long rng;
static unsigned rnd(unsigned n)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (unsigned)(rng % n);
}
#define PICK(a) ((a)[rnd(sizeof(a) / sizeof((a)[0]))])

#define NVENDORS 240
static double zipf_cdf[NVENDORS];

static void zipf_init(void)
{
    double sum = 0;
    for (int i = 0; i < NVENDORS; i++) sum += 1.0 / pow(i + 1, 1.1);
    double acc = 0;
    for (int i = 0; i < NVENDORS; i++) {
        acc += 1.0 / pow(i + 1, 1.1) / sum;
        zipf_cdf[i] = acc;
    }
}

static int zipf(void)
{
    double u = rnd(1000000) / 1e6;
    for (int i = 0; i < NVENDORS; i++)
        if (u <= zipf_cdf[i]) return i;
    return NVENDORS - 1;
}

static const char *stems[] = {"メディカル", "ヘルスケア", "システムズ", "情報サービス", "医療機器", "テクノ", "ソリューションズ",
                              "ネットワークス", "データ", "フードサービス", "イメージング", "ラボ"};
static const char *heads[] = {"さくら", "あおば", "ひかり", "みらい", "つばさ", "やまと", "なごみ", "はやぶさ", "ときわ",
                              "みなと", "こだま", "あすか", "ふじ", "かえで", "いずみ", "しらかば", "すばる", "ほくと",
                              "なぎさ", "わかば"};
static const char *prefs[] = {"北海道", "青森県", "宮城県", "東京都", "神奈川県", "埼玉県", "千葉県", "静岡県", "愛知県",
                              "大阪府", "兵庫県", "京都府", "広島県", "福岡県", "熊本県", "沖縄県"};
static const char *sites[] = {"東日本データセンター", "西日本データセンター", "保守センター", "第2データセンター"};
static const char *purposes_maint[] = {"リモート保守", "データセンター接続", "クラウドサービス"};
static const char *systems[] = {"電子カルテ", "医事会計", "PACS", "検査", "薬剤", "給食", "自動精算機", "医療機器", "部門システム"};
static const char *carriers[] = {"NTT東日本", "NTT西日本", "KDDI", "ソフトバンク", "NTTコミュニケーションズ"};
static const char *closed_services[] = {"フレッツ・VPN ワイド", "Arcstar Universal One", "KDDI Wide Area Virtual Switch",
                                        "ビジネスイーサ ワイド"};
static const char *inet_services[] = {"フレッツ光ネクスト", "フレッツ光クロス", "auひかり ビジネス"};
static const struct { const char *type, *maker, *model, *fw; } devs[] = {
    {"ファイアウォール/UTM", "Fortinet", "FortiGate-60F", "FortiOS 6.4.8"},
    {"ファイアウォール/UTM", "Fortinet", "FortiGate-60F", "FortiOS 7.0.12"},
    {"ファイアウォール/UTM", "Fortinet", "FortiGate-100F", "FortiOS 7.2.8"},
    {"ファイアウォール/UTM", "Fortinet", "FortiGate-40F", "FortiOS 7.4.4"},
    {"ルーター", "ヤマハ", "RTX1210", "Rev.14.01.42"},
    {"ルーター", "ヤマハ", "RTX1210", "Rev.14.01.33"},
    {"ルーター", "ヤマハ", "RTX830", "Rev.15.02.09"},
    {"ルーター", "ヤマハ", "RTX830", "Rev.15.02.30"},
    {"ルーター", "NEC", "UNIVERGE IX2215", "10.7.16"},
    {"ルーター", "NEC", "UNIVERGE IX2106", "10.2.42"},
    {"ルーター", "Cisco", "ISR1100-4G", "17.9.4a"},
    {"VPN装置", "Pulse Secure", "PCS-5000", "9.0R3.1"},
    {"ルーター", "アライドテレシス", "AR4050S", "5.5.2-1.1"},
};
static const char *floors[] = {"本館 1F 電算室", "本館 B1F サーバー室", "東棟 3F 医局", "西棟 2F 事務室", "別棟 1F 機械室"};

struct row { char c[34][160]; };
enum { NCOL = 34 };
static const char *header[NCOL] = {
    "回線No", "電子カルテ接続", "脆弱性診断 (調査希望)", "回線の用途", "システム名", "接続先", "回線契約者", "回線事業者",
    "回線サービス名", "通信形態", "グローバルIP利用", "固定IP/動的IP", "グローバルIPアドレス", "FQDN", "プロバイダ名",
    "プロバイダ品目", "回線終端装置設置場所", "装置①_装置の種類", "装置①_ホスト名", "装置①_管理IPアドレス",
    "装置①_メーカー", "装置①_機種名", "装置①_レンタル装置", "装置①_ファームウェアバージョン", "装置①_設置場所",
    "装置②_装置の種類", "装置②_ホスト名", "装置②_管理IPアドレス", "装置②_メーカー", "装置②_機種名",
    "装置②_レンタル装置", "装置②_ファームウェアバージョン", "装置②_設置場所", "備考"};

static void vendor_name(int v, char *buf, size_t n)
{
    snprintf(buf, n, "%.20s%.24s株式会社", heads[v % 20], stems[(v / 20) % 12]);
    if (v >= 240) snprintf(buf, n, "ベンダー%d株式会社", v);
}

/* Fills the rows of one hospital; returns the count. */
static int make_rows(struct row *rows, int maxrows, int hosp)
{
    /* most hospitals small, some large: 5 + a skewed draw up to 75 */
    double u = rnd(10000) / 10000.0;
    int nlines = 5 + (int)(75 * u * u * u);
    int n = 0;
    for (int l = 1; l <= nlines && n < maxrows; l++) {
        int forms = 1 + (rnd(4) == 0) + (rnd(8) == 0);
        int closed = rnd(3) == 0;
        const char *carrier = PICK(carriers);
        const char *service = closed ? PICK(closed_services) : PICK(inet_services);
        int d = (int)rnd(sizeof devs / sizeof devs[0]);
        int v = zipf();
        char vendor[64], party[150];
        vendor_name(v, vendor, sizeof vendor);
        int rental = rnd(3) == 0;
        const char *floor = PICK(floors);
        for (int f = 0; f < forms && n < maxrows; f++) {
            struct row *r = &rows[n++];
            memset(r, 0, sizeof *r);
            int internet = !closed && (f == 0 || rnd(2));
            const char *comm = closed ? "閉域網" : internet && f > 0 ? "インターネットVPN" : "インターネット";
            if (closed || f > 0) snprintf(party, sizeof party, "%.60s %.60s", vendor, sites[v % 4]);
            else snprintf(party, sizeof party, "%s", rnd(2) ? "OCN" : "So-net");
            snprintf(r->c[0], 160, "%d", l);
            snprintf(r->c[1], 160, "%s", rnd(5) == 0 ? "" : rnd(3) ? "あり" : "なし");
            snprintf(r->c[2], 160, "%s", closed ? "調査希望なし" : rnd(2) ? "調査希望あり" : "調査希望なし");
            snprintf(r->c[3], 160, "%s", closed || f > 0 ? PICK(purposes_maint) : "インターネット接続");
            snprintf(r->c[4], 160, "%s", PICK(systems));
            snprintf(r->c[5], 160, "%s", party);
            snprintf(r->c[6], 160, "%s", rnd(4) == 0 ? vendor : "病院");
            snprintf(r->c[7], 160, "%s", carrier);
            snprintf(r->c[8], 160, "%s", service);
            snprintf(r->c[9], 160, "%s", comm);
            if (!closed) {
                snprintf(r->c[10], 160, "あり");
                snprintf(r->c[11], 160, "固定IP");
                /* documentation ranges count as global (records.md) */
                snprintf(r->c[12], 160, "203.0.113.%d", 1 + (hosp * 7 + l) % 250);
            } else {
                snprintf(r->c[10], 160, "なし");
            }
            snprintf(r->c[16], 160, "%s", floor);
            snprintf(r->c[17], 160, "ONU");
            snprintf(r->c[20], 160, "%s", carrier);
            snprintf(r->c[21], 160, "GE-PON-ONU");
            snprintf(r->c[22], 160, "はい");
            snprintf(r->c[25], 160, "%s", devs[d].type[0] == 'V' ? "ルーター" : devs[d].type);
            snprintf(r->c[26], 160, "h%d-rt%02d", hosp, l);
            snprintf(r->c[27], 160, "192.168.%d.1", l % 250);
            snprintf(r->c[28], 160, "%s", devs[d].maker);
            snprintf(r->c[29], 160, "%s", devs[d].model);
            snprintf(r->c[30], 160, "%s", rental ? "はい" : "いいえ");
            snprintf(r->c[31], 160, "%s", devs[d].fw);
            snprintf(r->c[32], 160, "%s", r->c[16]);
            snprintf(r->c[33], 160, "%s", rnd(2) ? "装置②実機確認実施" : "");
        }
    }
    return n;
}

static int write_xlsx(const char *path, struct row *rows, int n, const char *name, const char *addr, int h)
{
    lxw_workbook *wb = workbook_new(path);
    if (!wb) return -1;
    lxw_worksheet *info = workbook_add_worksheet(wb, "基本情報記入シート");
    char beds[16], tel[64];
    snprintf(beds, sizeof beds, "%d", 20 + (int)rnd(600));
    snprintf(tel, sizeof tel, "0%d-%04d-%04d", 3 + h % 7, h % 10000, (h * 37) % 10000);
    const char *kv[][2] = {{"医療機関名", name}, {"所在地", addr}, {"病床数", beds}, {"調査日", "2026-11-05"},
                           {"担当者", "情報システム課"}, {"連絡先", tel}};
    for (int i = 0; i < 6; i++) {
        worksheet_write_string(info, (lxw_row_t)i, 0, kv[i][0], NULL);
        worksheet_write_string(info, (lxw_row_t)i, 1, kv[i][1], NULL);
    }
    lxw_worksheet *ws = workbook_add_worksheet(wb, "回線・機器情報記入シート");
    for (int c = 0; c < NCOL; c++) worksheet_write_string(ws, 0, (lxw_col_t)c, header[c], NULL);
    for (int r = 0; r < n; r++)
        for (int c = 0; c < NCOL; c++)
            if (rows[r].c[c][0]) worksheet_write_string(ws, (lxw_row_t)(r + 1), (lxw_col_t)c, rows[r].c[c], NULL);
    return workbook_close(wb) == LXW_NO_ERROR ? 0 : -1;
}

static int write_csv(const char *path, struct row *rows, int n)
{
    GString *s = g_string_new("");
    for (int c = 0; c < NCOL; c++) g_string_append_printf(s, "%s%s", c ? "," : "", header[c]);
    g_string_append(s, "\r\n");
    for (int r = 0; r < n; r++) {
        for (int c = 0; c < NCOL; c++) g_string_append_printf(s, "%s%s", c ? "," : "", rows[r].c[c]);
        g_string_append(s, "\r\n");
    }
    gsize len = 0;
    gchar *sj = g_convert(s->str, (gssize)s->len, "CP932", "UTF-8", NULL, &len, NULL);
    g_string_free(s, TRUE);
    if (!sj) return -1;
    FILE *f = fopen(path, "wb");
    int rc = f && fwrite(sj, 1, len, f) == len ? 0 : -1;
    if (f && fclose(f) != 0) rc = -1;
    g_free(sj);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fputs("usage: fleet_gen OUTDIR N [SEED]\n", stderr);
        return 2;
    }
    char *end;
    long n = strtol(argv[2], &end, 10);
    if (*end || n < 1 || n > 100000) {
        fputs("fleet_gen: N must be 1..100000\n", stderr);
        return 2;
    }
    long seed = argc > 3 ? strtol(argv[3], &end, 10) : 1;
    rng = 88172645463325252ULL ^ (unsigned long long)seed * 2654435761ULL;
    zipf_init();
    if (mkdir(argv[1], 0755) != 0 && errno != EEXIST) {
        perror(argv[1]);
        return 2;
    }
    static struct row rows[400];
    for (long h = 1; h <= n; h++) {
        char dir[4096], path[4200], name[128], addr[160];
        snprintf(dir, sizeof dir, "%s/h%05ld", argv[1], h);
        if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
            perror(dir);
            return 2;
        }
        const char *pref = PICK(prefs);
        snprintf(name, sizeof name, "%s%s第%ld病院", pref, heads[h % 20], h);
        snprintf(addr, sizeof addr, "%s%s市%ld-%ld", pref, heads[(h / 20) % 20], h % 50 + 1, h % 9 + 1);
        int nr = make_rows(rows, 400, (int)h);
        int rc;
        if (rnd(10) < 7) {
            snprintf(path, sizeof path, "%s/survey.xlsx", dir);
            rc = write_xlsx(path, rows, nr, name, addr, (int)h);
        } else {
            snprintf(path, sizeof path, "%s/survey.csv", dir);
            rc = write_csv(path, rows, nr);
            char idp[4200];
            snprintf(idp, sizeof idp, "%s/hospital-id.txt", dir);
            FILE *f = fopen(idp, "w");
            if (!f || fprintf(f, "JP-%06ld\n", h) < 0 || fclose(f) != 0) rc = -1;
        }
        if (rc != 0) {
            fprintf(stderr, "fleet_gen: cannot write %s\n", path);
            return 1;
        }
    }
    return 0;
}
