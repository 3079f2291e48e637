/* render_gen.c — writes a random but valid survey records CSV for render tests and
 * the benchmark: lines with one to three paths (communication forms), devices shared
 * across lines (a core firewall behind many routers, cross links), closed networks of
 * several carriers, phone lines, systems with and without an EMR link.
 *
 *   render_gen DEVICES SEED OUT.csv
 *   render_gen -l LINES SEED OUT.csv
 *
 * DEVICES is roughly the number of distinct devices the file declares. With -l the file
 * is a typical hospital of exactly LINES lines instead (the A3 test's input): Internet
 * lines behind one or two shared core UTMs (some also carrying a vendor's VPN), vendors'
 * remote-maintenance lines with rental routers and contracts of their own, closed
 * networks of several carriers behind a shared gateway, phone and mobile lines; a few
 * vulnerable firmwares. Deterministic for a given SEED (own PRNG, not rand()). */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t st;
static uint32_t rnd(void)
{
    st ^= st << 13;
    st ^= st >> 7;
    st ^= st << 17;
    return (uint32_t)(st >> 11);
}
static int pick(int n) { return (int)(rnd() % (uint32_t)n); }

/* The router firmware of a line's row p: drawn on every row, as the generator always did
 * (so every seed yields the rest as before), but the first row's kept: one router per
 * line, both rows naming it alike (records.md: different firmware is two devices). */
static int line_rev(int p, int *rev0)
{
    int r = 30 + pick(12);
    if (p == 0) *rev0 = r;
    return *rev0;
}

static long arg_long(const char *s, long lo, long hi)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < lo || v > hi) {
        fprintf(stderr, "render_gen: bad number '%s'\n", s);
        exit(2);
    }
    return v;
}

static const char header[] =
    "回線No,回線事業者,回線サービス名,回線終端装置設置場所,回線契約者,通信形態,回線の用途,システム名,接続先,"
    "電子カルテ接続,グローバルIP利用,固定IP/動的IP,グローバルIPアドレス,FQDN,プロバイダ名,プロバイダ品目,脆弱性診断,"
    "装置①_装置の種類,装置①_ホスト名,装置①_メーカー,装置①_機種名,装置①_レンタル装置,装置①_ファームウェアバージョン,"
    "装置②_装置の種類,装置②_ホスト名,装置②_メーカー,装置②_機種名,装置②_ファームウェアバージョン,備考\r\n";

/* A typical hospital of exactly n lines. */
static int hospital(long n, FILE *f)
{
    static const char *vendors[] = {"キヤノンメディカル保守", "富士フイルム保守", "シーメンス保守", "GEヘルスケア保守",
                                    "電子カルテ保守（ミナトHS）", "検体検査システム保守", "透析装置保守", "給食委託業者"};
    static const char *vsys[] = {"CT", "MRI", "PACS", "血管撮影装置", "電子カルテ", "検体検査", "透析", "給食"};
    static const char *isys[] = {"電子カルテ", "医事会計", "Web予約", "院内Wi-Fi", "メール", "自動精算機", "PACS", "地域連携"};
    static const char *closed[][3] = {{"NTT東日本", "フレッツ・VPN ワイド", "オンライン資格確認"},
                                      {"KDDI", "KDDI Wide Area Virtual Switch", "地域医療連携"},
                                      {"NTTコミュニケーションズ", "Arcstar Universal One", "データセンター"},
                                      {"ソフトバンク", "SmartVPN", "検診センター"}};
    static const char *places[] = {"本館1F 通信機械室", "本館B1F 放射線科", "東棟2F 検査科", "西棟1F 医事課", "本館3F 透析室",
                                   "管理棟2F サーバ室", "厨房棟1F 事務所"};
    fputs(header, f);
    for (long i = 1; i <= n; i++) {
        int r = pick(20);
        int kind = r < 7 ? 0 : r < 12 ? 1 : r < 17 ? 2 : 3;   /* internet, vendor VPN, closed, phone/mobile */
        const char *place = places[pick(7)];
        if (kind == 0) {
            int fixed = pick(4) != 0;
            char ip[32] = "";
            if (fixed) snprintf(ip, sizeof ip, "203.0.113.%ld", i);
            int core = pick(3) == 0 ? 1 : 0;
            int rev0 = 0;
            for (int p = 0; p < 1 + (pick(4) == 0); p++) {
                const char *sys = isys[pick(8)];
                int v = pick(8);
                fprintf(f, "%ld,NTT東日本,フレッツ光クロス,%s,病院,%s,%s,%s,%s,%s,あり,%s,%s,%s,OCN,OCN光 固定IP1,調査希望あり,"
                        "ルーター,rt%ld,ヤマハ,RTX1210,いいえ,Rev.14.01.%02d,"
                        "ファイアウォール/UTM,utm%d,Fortinet,FortiGate-100F,%s,\r\n",
                        i, place, p ? "インターネットVPN" : "インターネット", p ? "リモート保守" : "インターネット接続",
                        p ? vsys[v] : sys, p ? vendors[v] : "OCN", pick(3) == 0 ? "あり" : pick(2) ? "なし" : "",
                        fixed ? "固定IP" : "動的IP", ip, fixed && pick(3) == 0 ? "gw.example.jp" : "", i,
                        line_rev(p, &rev0),
                        core, core ? "FortiOS 6.2.9" : "FortiOS 7.4.5");
            }
        } else if (kind == 1) {
            int v = pick(8), own = pick(3) == 0;
            fprintf(f, "%ld,NTT東日本,フレッツ光ネクスト,%s,%s,インターネットVPN,リモート保守,%s,%s,%s,あり,動的IP,,,So-net,,調査希望あり,"
                    "ルーター,vr%ld,ヤマハ,%s,はい,Rev.15.01.%02d,,,,,,\r\n",
                    i, place, own ? vendors[v] : "病院", vsys[v], vendors[v], pick(2) ? "なし" : "",
                    i, pick(2) ? "NVR510" : "RTX830", pick(30));
        } else if (kind == 2) {
            int c = pick(4);
            fprintf(f, "%ld,%s,%s,%s,病院,閉域網,%s,%s,%s,%s,なし,,,,,,調査希望なし,"
                    "ルーター,cr%ld,NEC,UNIVERGE IX2106,%s,10.0.%02d,ファイアウォール/UTM,cgw,Fortinet,FortiGate-80E,FortiOS 6.4.15,\r\n",
                    i, closed[c][0], closed[c][1], place, closed[c][2], isys[pick(8)], closed[c][2],
                    pick(3) == 0 ? "あり" : "", i, pick(2) ? "はい" : "いいえ", pick(60));
        } else {
            int mobile = pick(2);
            fprintf(f, "%ld,%s,%s,%s,病院,電話回線のみ,%s,%s,,なし,なし,,,,,,調査希望なし,"
                    "%s,m%ld,%s,%s,%s,,,,,,,\r\n",
                    i, mobile ? "NTTドコモ" : "NTT東日本", mobile ? "LTE" : "ひかり電話", place,
                    mobile ? "医療機器の通報" : "FAX", mobile ? "医療機器" : "医事会計",
                    mobile ? "ルーター" : "モデム", i, mobile ? "NEC" : "NTT", mobile ? "Aterm MR05LN" : "PR-600MI",
                    mobile ? "はい" : "いいえ");
        }
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 5 && strcmp(argv[1], "-l") == 0) {
        long n = arg_long(argv[2], 0, 100000);
        st = (uint64_t)arg_long(argv[3], 0, 1L << 30) * 2654435761u + 88172645463325252ull;
        FILE *f = fopen(argv[4], "w");
        if (!f) {
            perror(argv[4]);
            return 2;
        }
        hospital(n, f);
        if (fclose(f) != 0) {
            perror(argv[4]);
            return 2;
        }
        return 0;
    }
    if (argc != 4) {
        fputs("usage: render_gen DEVICES SEED OUT.csv | render_gen -l LINES SEED OUT.csv\n", stderr);
        return 2;
    }
    long want = arg_long(argv[1], 1, 1000000);
    st = (uint64_t)arg_long(argv[2], 0, 1L << 30) * 2654435761u + 88172645463325252ull;
    FILE *f = fopen(argv[3], "w");
    if (!f) {
        perror(argv[3]);
        return 2;
    }
    static const char *carriers[] = {"NTT東日本", "NTT西日本", "KDDI", "ソフトバンク", "NTTドコモ"};
    static const char *services[] = {"フレッツ光ネクスト", "フレッツ光クロス", "フレッツ・VPN ワイド", "IP-VPN", "ひかり電話"};
    static const char *systems[] = {"電子カルテ", "医事会計", "PACS", "検査", "薬剤", "給食", "自動精算機",
                                    "医療機器", "部門システム", "放射線治療", "透析", "リハビリ"};
    static const char *parties[] = {"", "", "OCN", "保守業者A", "保守業者B", "データセンターX", "地域医療ネット"};
    static const char *makers[][2] = {{"ヤマハ", "RTX1210"}, {"ヤマハ", "RTX830"}, {"NEC", "UNIVERGE IX2215"},
                                      {"Fortinet", "FortiGate-60F"}, {"Cisco", "ISR4331"}, {"ヤマハ", "NVR510"}};
    fputs(header, f);
    long devices = 0, line = 0;
    int n_core = 1 + (int)(want / 40);
    while (devices < want) {
        line++;
        int c = pick(5), s = pick(5);
        int paths = 1 + (pick(4) == 0) + (pick(8) == 0);
        long d1 = devices++;
        const char *const *mk = makers[pick(6)];
        /* most lines end on a core firewall shared with other lines; some have their own */
        int shared = pick(3) != 0;
        long d2 = shared ? -1 - pick(n_core) : (pick(2) ? devices++ : -1000000);
        for (int p = 0; p < paths; p++) {
            const char *comm;
            int kind = s == 4 ? 3 : (s == 2 || s == 3) ? 2 : pick(2);
            comm = kind == 0 ? "インターネット" : kind == 1 ? "インターネットVPN" : kind == 2 ? "閉域網" : "電話回線のみ";
            const char *sys = systems[pick(12)];
            const char *emr = pick(3) == 0 ? "あり" : pick(2) ? "なし" : "";
            int fixed = kind <= 1 && pick(3) != 0;
            int dyn = kind <= 1 && !fixed && pick(2);
            char ip[32] = "";
            if (fixed) snprintf(ip, sizeof ip, "203.0.%d.%d", (int)(113 + (line / 250) % 3), (int)(1 + line % 250));
            fprintf(f, "%ld,%s,%s,棟%ld %dF,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,",
                    line, carriers[c], services[s], line % 7, 1 + (int)(line % 5), pick(6) ? "病院" : "保守業者A",
                    comm, kind == 1 ? "リモート保守" : "インターネット接続", sys, parties[pick(7)], emr,
                    kind <= 1 && (fixed || dyn) ? "あり" : "なし", fixed ? "固定IP" : dyn ? "動的IP" : "",
                    ip, fixed && pick(3) == 0 ? "gw.example.jp" : "", fixed ? "OCN" : "", fixed ? "固定1" : "",
                    kind <= 1 && pick(2) ? "調査希望あり" : "調査希望なし");
            fprintf(f, "ルーター,r%ld,%s,%s,%s,Rev.%d.%02d.%02d,", d1, mk[0], mk[1], pick(4) ? "いいえ" : "はい",
                    14 + pick(3), pick(3), pick(60));
            if (d2 == -1000000 && d1 > 2 && pick(4) == 0)   /* a cross link: another line's router */
                fprintf(f, "ルーター,r%ld,%s,%s,Rev.15.01.%02d,", (long)pick((int)d1), mk[0], mk[1], pick(30));
            else if (d2 == -1000000) fputs(",,,,,", f);
            else if (d2 < 0) fprintf(f, "ファイアウォール/UTM,core%ld,Fortinet,FortiGate-100F,FortiOS 7.4.%d,", -1 - d2, (int)((-d2) % 5));
            else fprintf(f, "ファイアウォール/UTM,fw%ld,Fortinet,FortiGate-60F,FortiOS 7.2.%d,", d2, (int)(d2 % 9));
            fputs(pick(5) == 0 ? "装置①実機確認実施\r\n" : "\r\n", f);
        }
    }
    if (fclose(f) != 0) {
        perror(argv[3]);
        return 2;
    }
    return 0;
}
