/* commands.c — the command table and what is made from it: usage text (--help,
 * `edgemap help`, usage errors), `edgemap version`, the bash completion script. */
#include "cmd/commands.h"

#include <stdarg.h>
#include <string.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "cmd/common.h"
#include "mapper/about.h"
#include "mapper/lang.h"

#define T(ja, en) ja, en

const struct em_opt_info em_records_opts[] = {
    {"--lang", "ja|en", "ja en", T("メッセージと図の言語（既定: ロケール、なければ日本語）",
                                   "language of messages and drawings (default: the locale, else Japanese)")},
    {"--survey-date", "YYYY-MM-DD", "", T("調査日（サポート終了の判定に使う。既定: 今日）",
                                          "survey date (for end-of-support checks; default: today)")},
    {"--data", "DIR", "/", T("アドバイザリ等のデータのディレクトリ（EDGEMAP_DATA、既定のデータより優先）",
                             "directory of the advisory data (before EDGEMAP_DATA and the installed data)")},
    {"--discovered", "DISC.json", "<.json", T("discover の結果を突き合わせる", "merge a discover result")},
    {"--scan", "NMAP.xml", "<.xml", T("nmap の XML 結果を取り込む（繰り返し可）", "import an nmap XML result (repeatable)")},
    {"--accept", "FILE", "<.tsv.csv.txt", T("承認済みの指摘（承認済みと表示し、終了状態に数えない）",
                                           "accepted findings (shown as accepted, not counted for the exit status)")},
    {"--layout", "FILE.drawio", "<.drawio", T("draw.io で配置を直した構成図（その位置を保つ。render と diff の図）",
                                              "a diagram whose layout was edited in draw.io (its positions are kept; render and diff drawings)")},
    {NULL, NULL, NULL, NULL, NULL},
};

static const struct em_opt_info check_opts[] = {
    {"--format", "text|json", "text json", T("出力形式: text（回線ごとの指摘）か json（モデル）",
                                             "output: text (findings by line) or json (the model)")},
    {NULL, NULL, NULL, NULL, NULL},
};

#define OUT_EXTS "<.svg.pdf.png.dot.json.html.csv.drawio"

static const struct em_opt_info render_opts[] = {
    {"-o", "OUT", OUT_EXTS, T("出力ファイル（拡張子で形式: .svg .pdf .png .dot .json .html .csv .drawio、繰り返し可）",
                              "output file (format by extension: .svg .pdf .png .dot .json .html .csv .drawio; repeatable)")},
    {"--redact", NULL, NULL, T("グローバルIP・FQDN・ホスト名・入力ファイル名を伏せ字にする",
                               "replace global IPs, FQDNs, host names and input file names by placeholders")},
    {NULL, NULL, NULL, NULL, NULL},
};

static const struct em_opt_info targets_opts[] = {
    {"-o", "targets.csv", "<.csv", T("診断対象一覧の出力先（既定: 標準出力）", "where to write the target list (default: stdout)")},
    {"--redact", NULL, NULL, T("グローバルIP・FQDN・ホスト名・入力ファイル名を伏せ字にする",
                               "replace global IPs, FQDNs, host names and input file names by placeholders")},
    {NULL, NULL, NULL, NULL, NULL},
};

static const struct em_opt_info discover_opts[] = {
    {"--seed", "HOST", "", T("最初に問い合わせる装置（繰り返し可）", "device to start from (repeatable)")},
    {"--scope", "CIDR", "", T("問い合わせてよい範囲（繰り返し可。範囲外には一切送信しない）",
                              "addresses that may be queried (repeatable; nothing is sent outside)")},
    {"--snmp-config", "FILE", "<", T("SNMP の認証情報ファイル（chmod 600）", "SNMP credentials file (chmod 600)")},
    {"--from-walk", "DIR", "/", T("snmpwalk の出力（装置ごとに1ファイル）から作る", "build from snmpwalk dumps, one file per device")},
    {"-o", "DISC.json", "<.json", T("出力ファイル", "output file")},
    {"--port", "N", "", T("SNMP のポート（既定 161）", "SNMP port (default 161)")},
    {"--max-inflight", "N", "", T("同時に問い合わせる装置の数（既定 32）", "devices queried at once (default 32)")},
    {"--timeout", "MS", "", T("応答待ち時間（ミリ秒、既定 2000）", "reply timeout in ms (default 2000)")},
    {"--retries", "N", "", T("再送回数（既定 1）", "retries (default 1)")},
    {"--max-reps", "N", "", T("GETBULK の max-repetitions（既定 20）", "GETBULK max-repetitions (default 20)")},
    {"--agent-deadline", "MS", "", T("1台あたりの上限時間（ミリ秒）", "time limit per device in ms")},
    {"--max-hops", "N", "", T("LLDP をたどる段数の上限（0: 無制限）", "LLDP hops to follow (0: no limit)")},
    {"--lang", "ja|en", "ja en", T("メッセージの言語", "language of messages")},
    {"--no-progress", NULL, NULL, T("進捗を表示しない", "no progress display")},
    {"--resolve", NULL, NULL, T("隣接装置から知った名前を DNS で引く（--scope 内か --resolver の DNS サーバーだけ）",
                                "look up names learned from neighbours (only at a DNS server inside --scope or --resolver)")},
    {"--resolver", "ADDR", "", T("名前解決に使う DNS サーバー（--resolve を含む）", "the DNS server for --resolve (implies it)")},
    {"--no-resolve", NULL, NULL, T("名前解決をしない（既定）", "no name resolution (the default)")},
    {"--emr-subnet", "CIDR", "", T("電子カルテ（EMR）セグメント（既定: 起点のセグメント）",
                                  "the EMR segment (default: the seed's segment)")},
    {"--max-vlans", "N", "", T("Cisco 装置1台あたり VLAN ごとに読む転送テーブルの数（既定 64、0: 読まない）",
                               "per-VLAN forwarding tables read per Cisco device (default 64; 0: none)")},
    {NULL, NULL, NULL, NULL, NULL},
};

static const struct em_opt_info diff_opts[] = {
    {"--format", "text|json", "text json", T("出力形式", "output format")},
    {"-o", "OUT", "<.json.svg.pdf.png.html.drawio", T("変更を書き出す（.json は一覧、.svg .pdf .png .html .drawio は両方の回を1つにした図。繰り返し可）",
                                                      "write the changes (.json the list; .svg .pdf .png .html .drawio one drawing of both rounds; repeatable)")},
    {NULL, NULL, NULL, NULL, NULL},
};

static const struct em_opt_info template_opts[] = {
    {"-o", "FILE.xlsx", "<.xlsx", T("書き出すワークブック", "the workbook to write")},
    {"--lang", "ja|en", "ja en", T("説明と見出しの言語", "language of the instructions and headers")},
    {"--survey-date", "YYYY-MM-DD", "", T("調査日（記入済みで渡す）", "survey date, filled in")},
    {"--site", "NAME", "", T("医療機関名（記入済みで渡す）", "the hospital's name, filled in")},
    {NULL, NULL, NULL, NULL, NULL},
};

static const struct em_opt_info annotate_opts[] = {
    {"-o", "FILE.xlsx", "<.xlsx", T("書き出すワークブック", "the workbook to write")},
    {"--party", "NAME", "", T("1つの関係者（接続先・回線契約者）の行だけ", "only the rows of one party (named as connection party or contract holder)")},
    {"--redact", NULL, NULL, T("グローバルIP・FQDN・ホスト名を伏せ字にする", "replace global IPs, FQDNs and host names by placeholders")},
    {NULL, NULL, NULL, NULL, NULL},
};

static const struct em_opt_info fleet_opts[] = {
    {"--db", "DB", "<.sqlite.db", T("SQLite のファイルか postgresql:// の URL", "an SQLite file or a postgresql:// URL")},
    {"--round", "R", "", T("調査の回（diff では2回）", "the survey round (twice for diff)")},
    {"-o", "OUT", "<.html.json.xlsx.csv", T("出力（形式は拡張子、render はフォルダ）", "output (format by extension; a folder for render)")},
    {"--jobs", "N", "", T("並列に動かすプロセス数（既定: コア数）", "worker processes (default: one per core)")},
    {"--force", NULL, NULL, T("内容が変わっていなくても取り込み直す", "ingest again even when unchanged")},
    {"--data", "DIR", "/", T("アドバイザリ等のデータのディレクトリ", "directory of the advisory data")},
    {"--survey-date", "YYYY-MM-DD", "", T("調査日が空欄の医療機関の調査日", "survey date for hospitals without one")},
    {"--link", "PATTERN", "", T("医療機関ごとの報告書へのリンク（%s = ID）", "link to each hospital's report (%s = id)")},
    {"--hub-min", "N", "", T("閉域網ハブとみなす医療機関数（既定 2）", "hospitals that make a closed-network hub (default 2)")},
    {"--format", "LIST", "", T("render の形式（svg,pdf,png,html,csv,json,dot）", "render formats (svg,pdf,png,html,csv,json,dot)")},
    {"--lang", "ja|en", "ja en", T("メッセージと報告書の言語", "language of messages and reports")},
    {NULL, NULL, NULL, NULL, NULL},
};

static const struct em_opt_info version_opts[] = {
    {"--data", "DIR", "/", T("版を表示するデータのディレクトリ", "data directory whose versions to show")},
    {"--lang", "ja|en", "ja en", T("メッセージの言語", "language of messages")},
    {NULL, NULL, NULL, NULL, NULL},
};

static const struct em_opt_info help_opts[] = {
    {"--lang", "ja|en", "ja en", T("メッセージの言語", "language of messages")},
    {NULL, NULL, NULL, NULL, NULL},
};

#define RECORDS_FILES "<.xlsx.xlsm.csv"

const struct em_cmd_info em_commands[] = {
    {"check", em_cmd_check, "RECORDS... [--format text|json]",
     T("記録（.xlsx/.csv）を読み、検証し、指摘事項を表示する", "read and validate records (.xlsx/.csv), print the findings"),
     RECORDS_FILES, check_opts, EM_CMD_RECORDS_OPTS},
    {"render", em_cmd_render, "RECORDS... -o OUT [-o OUT]... [--redact]",
     T("構成図・モデル・報告書を作る（形式は拡張子で決まる）", "draw the diagram, write the model and the report (format by extension)"),
     RECORDS_FILES, render_opts, EM_CMD_RECORDS_OPTS},
    {"targets", em_cmd_targets, "RECORDS... [-o targets.csv] [--redact]",
     T("診断対象一覧（CSV）を作る", "write the scan target list (CSV)"),
     RECORDS_FILES, targets_opts, EM_CMD_RECORDS_OPTS},
    {"discover", em_cmd_discover,
     "--seed HOST... --scope CIDR... [--snmp-config FILE] -o DISC.json\n--from-walk DIR -o DISC.json",
     T("SNMP/LLDP で装置とつながりを調べる", "find devices and links by SNMP/LLDP"),
     "", discover_opts, 0},
    {"diff", em_cmd_diff, "OLD NEW [--format text|json] [-o OUT]...",
     T("2回の調査の違いを示す（記録かモデル JSON）", "what changed between two surveys (records or model JSON)"),
     "<.xlsx.xlsm.csv.json", diff_opts, EM_CMD_RECORDS_OPTS},
    {"template", em_cmd_template, "-o FILE.xlsx [--lang ja|en]",
     T("記入用の空のワークブックを作る", "write the blank fill-in workbook"),
     "", template_opts, 0},
    {"annotate", em_cmd_annotate, "RECORDS... -o FILE.xlsx [--party NAME]",
     T("指摘をセルに付けた記録を作る", "write the records with the findings on their cells"),
     RECORDS_FILES, annotate_opts, EM_CMD_RECORDS_OPTS},
    {"fleet", em_cmd_fleet,
     "ingest --db DB --round R [--jobs N] FOLDER...\nreport --db DB --round R -o national.html|.json|.xlsx\n"
     "advisories --db DB [--data DIR] -o notify.csv [-o notify.xlsx]\ndiff --db DB --round A --round B [-o diff.json]\n"
     "render --db DB --round R -o DIR [--jobs N]",
     T("多数の医療機関の調査を1つのデータベース（SQLite/PostgreSQL）で扱う",
       "many hospitals' surveys in one store (SQLite or PostgreSQL)"),
     "ingest report advisories diff render /", fleet_opts, 0},
    {"version", em_cmd_version, "[--data DIR]",
     T("edgemap・データ・ライブラリの版を表示する", "print the versions of edgemap, its data and libraries"),
     "", version_opts, 0},
    {"help", em_cmd_help, "[COMMAND]",
     T("使い方を表示する", "print the usage"),
     "@commands", help_opts, 0},
    {NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0},
};

const struct em_cmd_info *em_cmd_find(const char *name)
{
    for (const struct em_cmd_info *c = em_commands; name && c->name; c++)
        if (strcmp(c->name, name) == 0) return c;
    return NULL;
}

static void print_synopsis(FILE *f, const struct em_cmd_info *c)
{
    const char *s = c->synopsis;
    int first = 1;
    while (*s) {
        const char *e = strchr(s, '\n');
        size_t n = e ? (size_t)(e - s) : strlen(s);
        fprintf(f, "%s edgemap %s %.*s%s\n", first ? em_tr("使い方:", "usage:") : "      ",
                c->name, (int)n, s, c->opts[0].name || (c->flags & EM_CMD_RECORDS_OPTS) ? em_tr(" [オプション]", " [options]") : "");
        first = 0;
        s += n;
        if (*s) s++;
    }
}

static void print_opts(FILE *f, const struct em_opt_info *o)
{
    for (; o->name; o++) {
        char head[64];
        snprintf(head, sizeof head, "%s%s%s", o->name, o->arg ? " " : "", o->arg ? o->arg : "");
        fprintf(f, "  %-26s %s\n", head, em_tr(o->ja, o->en));
    }
}

void em_cmd_usage(FILE *f, const char *name)
{
    const struct em_cmd_info *c = em_cmd_find(name);
    if (!c) {
        fprintf(f, "%s edgemap %s\n\n", em_tr("使い方:", "usage:"), em_tr("コマンド [引数]...", "COMMAND [ARGS]..."));
        fprintf(f, "%s\n", em_tr("コマンド:", "commands:"));
        for (c = em_commands; c->name; c++) fprintf(f, "  %-10s %s\n", c->name, em_tr(c->ja, c->en));
        fprintf(f, "\n%s\n", em_tr("edgemap help COMMAND でコマンドごとの使い方、man edgemap で説明書を表示します。",
                                   "edgemap help COMMAND shows the usage of a command; man edgemap the manual."));
        fprintf(f, "%s\n", em_tr("終了状態: 0 エラーの指摘なし、1 エラーの指摘あり、2 入力が読めない・使い方の誤り",
                                 "exit status: 0 no error finding, 1 error findings, 2 unreadable input or usage error"));
        return;
    }
    print_synopsis(f, c);
    fprintf(f, "%s\n", em_tr(c->ja, c->en));
    fprintf(f, "\n%s\n", em_tr("オプション:", "options:"));
    print_opts(f, c->opts);
    if (c->flags & EM_CMD_RECORDS_OPTS) print_opts(f, em_records_opts);
    static const struct em_opt_info always[] = {
        {"-h, --help", NULL, NULL, T("この使い方を表示する", "print this usage")},
        {"--version", NULL, NULL, T("版を表示する", "print the versions")},
        {NULL, NULL, NULL, NULL, NULL},
    };
    print_opts(f, always);
    fprintf(f, em_tr("\n詳しくは man edgemap-%s\n", "\nSee man edgemap-%s\n"), c->name);
}

int em_cmd_usage_error(const char *name, const char *fmt, ...)
{
    const struct em_cmd_info *c = em_cmd_find(name);
    if (fmt) {
        fprintf(stderr, "edgemap%s%s: ", name ? " " : "", name ? name : "");
        va_list ap;
        va_start(ap, fmt);
        vfprintf(stderr, fmt, ap);
        va_end(ap);
        fputc('\n', stderr);
    }
    if (c) {
        print_synopsis(stderr, c);
        fprintf(stderr, em_tr("詳しくは edgemap help %s\n", "more: edgemap help %s\n"), c->name);
    } else {
        fprintf(stderr, "%s\n", em_tr("使い方は edgemap help", "usage: edgemap help"));
    }
    return EM_EXIT_USAGE;
}

int em_cmd_help(int argc, char **argv)
{
    const char *name = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--lang") == 0 && i + 1 < argc) i++;  /* applied by main */
        else if (strcmp(argv[i], "--completion") == 0 && i + 1 < argc && strcmp(argv[i + 1], "bash") == 0) {
            em_cmd_bash_completion(stdout);
            return fflush(stdout) == 0 ? EM_EXIT_OK : EM_EXIT_USAGE;
        } else if (argv[i][0] == '-') return em_cmd_usage_error("help", em_tr("不明なオプション '%s'", "unknown option '%s'"), argv[i]);
        else if (name) return em_cmd_usage_error("help", "%s", em_tr("コマンドは1つだけ指定できます", "give one command at most"));
        else name = argv[i];
    }
    if (name && !em_cmd_find(name))
        return em_cmd_usage_error(NULL, em_tr("不明なコマンド '%s'", "unknown command '%s'"), name);
    em_cmd_usage(stdout, name);
    return fflush(stdout) == 0 ? EM_EXIT_OK : EM_EXIT_USAGE;
}

int em_cmd_version(int argc, char **argv)
{
    const char *opt_data = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--data") == 0 && i + 1 < argc) opt_data = argv[++i];
        else if (strcmp(argv[i], "--lang") == 0 && i + 1 < argc) i++;  /* applied by main */
        else if (strcmp(argv[i], "--version") != 0)
            return em_cmd_usage_error("version", em_tr("不明な引数 '%s'", "unknown argument '%s'"), argv[i]);
    }
    const char *origin, *dir = em_cmd_data_dir(opt_data, &origin);
    char probe[4200];
    snprintf(probe, sizeof probe, "%s/firmware-advisories.tsv", dir);
    int have_data = access(probe, R_OK) == 0;
    em_cmd_about(have_data ? dir : NULL);
    printf("edgemap %s\n", em_about_item(0)->version);
    const char *from = strcmp(origin, "--data") == 0 ? "--data"
                       : strcmp(origin, "EDGEMAP_DATA") == 0 ? "EDGEMAP_DATA"
                       : strcmp(origin, "tree") == 0 ? em_tr("ソースツリー", "source tree")
                                                     : em_tr("インストール先", "installed");
    printf(em_tr("データ: %s（%s）%s\n", "data: %s (%s)%s\n"), dir, from,
           have_data ? "" : em_tr("（見つかりません: --data DIR、EDGEMAP_DATA、インストール先の順に探します）",
                                  " (not found: looked for --data DIR, then EDGEMAP_DATA, then the installed directory)"));
    for (size_t i = 0; i < em_about_count(); i++) {
        const struct em_about_item *it = em_about_item(i);
        if (it->kind != EM_ABOUT_DATA) continue;
        printf("  %-24s %s %s\n", it->name, *it->version ? it->version : em_tr("（版の記載なし）", "(no version)"), it->date);
    }
    printf("%s\n", em_tr("ライブラリ（実行時の版）:", "libraries (run-time versions):"));
    for (size_t i = 0; i < em_about_count(); i++) {
        const struct em_about_item *it = em_about_item(i);
        if (it->kind == EM_ABOUT_LIBRARY) printf("  %-24s %s\n", it->name, it->version);
    }
    return fflush(stdout) == 0 ? EM_EXIT_OK : EM_EXIT_USAGE;
}

/* ---------------------------------------------------------------- bash completion */

static void bash_opt_names(FILE *f, const struct em_opt_info *o)
{
    for (; o->name; o++) fprintf(f, " %s", o->name);
}

static void bash_opt_values(FILE *f, const struct em_opt_info *o)
{
    for (; o->name; o++)
        if (o->complete) fprintf(f, "            %s) _edgemap_spec '%s' \"$cur\"; return ;;\n", o->name, o->complete);
}

void em_cmd_bash_completion(FILE *f)
{
    fputs("# bash completion for edgemap(1): commands, options and their values, files by\n"
          "# extension. Generated by `edgemap help --completion bash` from cmd/commands.c.\n"
          "\n"
          "# _edgemap_spec SPEC CUR: fills COMPREPLY. SPEC: \"w1 w2\" words, \"<.a.b\" files\n"
          "# ending in .a/.b (and directories), \"<\" any file, \"/\" directories, \"\" nothing.\n"
          "_edgemap_spec()\n{\n"
          "    local spec=$1 cur=$2 f e IFS=$'\\n'\n"
          "    COMPREPLY=()\n"
          "    case $spec in\n"
          "        '') return ;;\n"
          "        /) compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -d -- \"$cur\")) ;;\n"
          "        '<') compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -f -- \"$cur\")) ;;\n"
          "        '<'*)\n"
          "            compopt -o filenames 2>/dev/null\n"
          "            local exts=${spec#<}\n"
          "            exts=${exts//./ .}\n"
          "            for f in $(compgen -f -- \"$cur\"); do\n"
          "                if [[ -d $f ]]; then COMPREPLY+=(\"$f\"); continue; fi\n"
          "                IFS=' '\n"
          "                for e in $exts; do\n"
          "                    if [[ ${f,,} == *\"$e\" ]]; then COMPREPLY+=(\"$f\"); break; fi\n"
          "                done\n"
          "                IFS=$'\\n'\n"
          "            done ;;\n"
          "        @commands) IFS=' '; COMPREPLY=($(compgen -W \"", f);
    for (const struct em_cmd_info *c = em_commands; c->name; c++) fprintf(f, "%s%s", c == em_commands ? "" : " ", c->name);
    fputs("\" -- \"$cur\")) ;;\n"
          "        *) IFS=' '; COMPREPLY=($(compgen -W \"$spec\" -- \"$cur\")) ;;\n"
          "    esac\n"
          "}\n\n"
          "_edgemap()\n{\n"
          "    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}\n"
          "    if [[ $COMP_CWORD -eq 1 ]]; then\n"
          "        if [[ $cur == -* ]]; then COMPREPLY=($(compgen -W '--help --version' -- \"$cur\"))\n"
          "        else _edgemap_spec @commands \"$cur\"; fi\n"
          "        return\n"
          "    fi\n"
          "    local opts args\n"
          "    case ${COMP_WORDS[1]} in\n", f);
    for (const struct em_cmd_info *c = em_commands; c->name; c++) {
        fprintf(f, "    %s)\n        case $prev in\n", c->name);
        bash_opt_values(f, c->opts);
        if (c->flags & EM_CMD_RECORDS_OPTS) bash_opt_values(f, em_records_opts);
        fputs("        esac\n        opts='--help --version", f);
        bash_opt_names(f, c->opts);
        if (c->flags & EM_CMD_RECORDS_OPTS) bash_opt_names(f, em_records_opts);
        fprintf(f, "'\n        args='%s' ;;\n", c->args);
    }
    fputs("    *) return ;;\n"
          "    esac\n"
          "    if [[ $cur == -* ]]; then\n"
          "        COMPREPLY=($(compgen -W \"$opts\" -- \"$cur\"))\n"
          "    else\n"
          "        _edgemap_spec \"$args\" \"$cur\"\n"
          "    fi\n"
          "}\n"
          "complete -F _edgemap edgemap\n", f);
}
