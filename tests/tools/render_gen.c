/* render_gen.c — writes a random but valid survey records CSV for render tests and
 * the benchmark: lines with one to three paths (communication forms), devices shared
 * across lines (a core firewall behind many routers, cross links), closed networks of
 * several carriers, phone lines, systems with and without an EMR link.
 *
 *   render_gen DEVICES SEED OUT.csv
 *
 * DEVICES is roughly the number of distinct devices the file declares. Deterministic
 * for a given SEED (own PRNG, not rand()). */
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

int main(int argc, char **argv)
{
    if (argc != 4) {
        fputs("usage: render_gen DEVICES SEED OUT.csv\n", stderr);
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
    fputs("回線No,回線事業者,回線サービス名,回線終端装置設置場所,回線契約者,通信形態,回線の用途,システム名,接続先,"
          "電子カルテ接続,グローバルIP利用,固定IP/動的IP,グローバルIPアドレス,FQDN,プロバイダ名,プロバイダ品目,脆弱性診断,"
          "装置①_装置の種類,装置①_ホスト名,装置①_メーカー,装置①_機種名,装置①_レンタル装置,装置①_ファームウェアバージョン,"
          "装置②_装置の種類,装置②_ホスト名,装置②_メーカー,装置②_機種名,装置②_ファームウェアバージョン,備考\r\n", f);
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
