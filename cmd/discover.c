/* discover.c — `edgemap discover`: argument parsing, credentials from --snmp-config
 * or EDGEMAP_SNMP_COMMUNITY (never argv), exit codes. The work is in snmp/.
 *
 *   edgemap discover --seed HOST... --scope CIDR... [--snmp-config FILE] -o DISC.json
 *   edgemap discover --from-walk DIR -o DISC.json
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "cmd/common.h"
#include "cmd/commands.h"
#include "mapper/err.h"
#include "mapper/lang.h"
#include "mapper/visible.h"
#include "snmp/discover.h"

#define MAX_SEEDS 1024
#define MAX_SCOPES 1024

static void usage(void) { em_cmd_usage_error("discover", NULL); }

static int num_arg(const char *opt, const char *v, long lo, long hi, int *out)
{
    char *end;
    errno = 0;
    long n = strtol(v, &end, 10);
    if (errno || end == v || *end || n < lo || n > hi) {
        fprintf(stderr, "edgemap discover: %s %s (%ld-%ld)\n", opt,
                em_tr("の値が範囲外か数値ではありません", "needs a number in range"), lo, hi);
        return -1;
    }
    *out = (int)n;
    return 0;
}

static void print_err(const struct em_err *e)
{
    char buf[2048];
    em_err_format(e, buf, sizeof buf);
    fputs("edgemap discover: ", stderr);
    em_fput_visible(stderr, buf, strlen(buf));
    fputc('\n', stderr);
}

/* The output as a one-file set (mapper/outset.h) with the credential file as its input
 * (never overwritten). Returns 0 with *set filled (caller frees) or, with set NULL,
 * only checks; else a negative enum em_rc with err filled. */
static int check_out(const char *out, const char *conf_path, struct em_outset **set, struct em_err *err)
{
    struct em_outset *s = em_outset_new();
    if (!s) return em_err_set(err, EM_ERR_NOMEM, out, "", 0, "", "out of memory");
    if (conf_path) em_outset_input(s, conf_path);
    int rc = em_outset_add(s, out, err);
    if (rc >= 0 && set) {
        *set = s;
        return 0;
    }
    em_outset_free(s);
    return rc < 0 ? rc : 0;
}

/* "ADDR", "IPv4:PORT" or "[IPv6]:PORT" into *r (port 53 by default). 0 or -1. */
static int parse_resolver(const char *v, struct em_resolver *r)
{
    char host[64];
    long port = 53;
    const char *colon = strrchr(v, ':');
    size_t hl = strlen(v);
    if (v[0] == '[') {
        const char *rb = strchr(v, ']');
        if (!rb) return -1;
        hl = (size_t)(rb - v - 1);
        v++;
        colon = rb[1] == ':' ? rb + 1 : NULL;
        if (rb[1] && !colon) return -1;
    } else if (colon && strchr(v, ':') == colon) {
        hl = (size_t)(colon - v);   /* IPv4:PORT (an IPv6 address has several ':') */
    } else {
        colon = NULL;
    }
    if (colon) {
        char *end;
        errno = 0;
        port = strtol(colon + 1, &end, 10);
        if (errno || end == colon + 1 || *end || port < 1 || port > 65535) return -1;
    }
    if (hl == 0 || hl >= sizeof host) return -1;
    memcpy(host, v, hl);
    host[hl] = '\0';
    memset(r, 0, sizeof *r);
    r->family = em_addr_parse(host, r->addr);
    r->port = (int)port;
    return r->family ? 0 : -1;
}

int em_cmd_discover(int argc, char **argv)
{
    const char *seeds[MAX_SEEDS];
    struct em_cidr scopes[MAX_SCOPES];
    size_t n_seeds = 0, n_scopes = 0;
    const char *out = NULL, *walkdir = NULL, *conf_path = NULL;
    struct em_disc_opts o = {.port = 161, .max_inflight = 32, .timeout_ms = 2000, .retries = 1,
                             .max_reps = 20, .agent_deadline_ms = 60000, .max_hops = 0};
    bool no_progress = false, want_resolve = false, has_emr = false;
    struct em_cidr emr;

    /* language first, so every later message uses it */
    for (int i = 1; i + 1 < argc; i++)
        if (strcmp(argv[i], "--lang") == 0) em_lang_set(strcmp(argv[i + 1], "en") == 0 ? EM_LANG_EN : EM_LANG_JA);

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        /* secrets on the command line end up in shell history and ps: refuse them */
        if (strncmp(a, "--community", 11) == 0 || strncmp(a, "--auth", 6) == 0 ||
            strncmp(a, "--priv", 6) == 0 || strncmp(a, "--password", 10) == 0 ||
            strncmp(a, "--pass", 6) == 0 || strcmp(a, "-c") == 0 || strcmp(a, "-A") == 0 ||
            strcmp(a, "-X") == 0 || strncmp(a, "--user", 6) == 0 || strncmp(a, "--secret", 8) == 0) {
            fprintf(stderr, "edgemap discover: %s\n",
                    em_tr("SNMP の認証情報はコマンドラインでは受け付けません (ps や履歴に残るため)。"
                          "--snmp-config FILE (chmod 600) か環境変数 EDGEMAP_SNMP_COMMUNITY を使ってください",
                          "SNMP credentials are not accepted on the command line (they would show in ps and "
                          "shell history): use --snmp-config FILE (chmod 600) or EDGEMAP_SNMP_COMMUNITY"));
            return EM_EXIT_USAGE;
        }
        bool needs = strcmp(a, "--seed") == 0 || strcmp(a, "--scope") == 0 || strcmp(a, "-o") == 0 ||
                     strcmp(a, "--from-walk") == 0 || strcmp(a, "--snmp-config") == 0 ||
                     strcmp(a, "--port") == 0 || strcmp(a, "--max-inflight") == 0 ||
                     strcmp(a, "--timeout") == 0 || strcmp(a, "--retries") == 0 ||
                     strcmp(a, "--max-reps") == 0 || strcmp(a, "--agent-deadline") == 0 ||
                     strcmp(a, "--max-hops") == 0 || strcmp(a, "--lang") == 0 ||
                     strcmp(a, "--emr-subnet") == 0 || strcmp(a, "--max-vlans") == 0;
        if (needs && !v) { fprintf(stderr, "edgemap discover: %s %s\n", a, em_tr("に値がありません", "needs a value")); usage(); return EM_EXIT_USAGE; }
        if (strcmp(a, "--seed") == 0) {
            if (n_seeds == MAX_SEEDS) { fprintf(stderr, "edgemap discover: %s\n", em_tr("--seed が多すぎます", "too many --seed")); return EM_EXIT_USAGE; }
            seeds[n_seeds++] = v; i++;
        } else if (strcmp(a, "--scope") == 0) {
            if (n_scopes == MAX_SCOPES) { fprintf(stderr, "edgemap discover: %s\n", em_tr("--scope が多すぎます", "too many --scope")); return EM_EXIT_USAGE; }
            if (em_cidr_parse(v, &scopes[n_scopes]) != 0) {
                fprintf(stderr, "edgemap discover: --scope %s: %s\n", v,
                        em_tr("CIDR として読めません (例: 10.1.0.0/16、ホスト部は 0)", "not a CIDR (e.g. 10.1.0.0/16, host bits zero)"));
                return EM_EXIT_USAGE;
            }
            n_scopes++; i++;
        } else if (strcmp(a, "--emr-subnet") == 0) {
            if (em_cidr_parse(v, &emr) != 0) {
                fprintf(stderr, "edgemap discover: --emr-subnet %s: %s\n", v,
                        em_tr("CIDR として読めません (例: 10.1.0.0/16、ホスト部は 0)", "not a CIDR (e.g. 10.1.0.0/16, host bits zero)"));
                return EM_EXIT_USAGE;
            }
            has_emr = true; i++;
        } else if (strcmp(a, "-o") == 0) { out = v; i++; }
        else if (strcmp(a, "--from-walk") == 0) { walkdir = v; i++; }
        else if (strcmp(a, "--snmp-config") == 0) { conf_path = v; i++; }
        else if (strcmp(a, "--lang") == 0) {
            if (strcmp(v, "ja") != 0 && strcmp(v, "en") != 0) { fprintf(stderr, "edgemap discover: %s\n", em_tr("--lang は ja か en です", "--lang must be ja or en")); return EM_EXIT_USAGE; }
            i++;
        }
        else if (strcmp(a, "--port") == 0) { if (num_arg(a, v, 1, 65535, &o.port)) return EM_EXIT_USAGE; i++; }
        else if (strcmp(a, "--max-inflight") == 0) { if (num_arg(a, v, 1, 512, &o.max_inflight)) return EM_EXIT_USAGE; i++; }
        else if (strcmp(a, "--timeout") == 0) { if (num_arg(a, v, 10, 60000, &o.timeout_ms)) return EM_EXIT_USAGE; i++; }
        else if (strcmp(a, "--retries") == 0) { if (num_arg(a, v, 0, 10, &o.retries)) return EM_EXIT_USAGE; i++; }
        else if (strcmp(a, "--max-reps") == 0) { if (num_arg(a, v, 1, 100, &o.max_reps)) return EM_EXIT_USAGE; i++; }
        else if (strcmp(a, "--agent-deadline") == 0) { if (num_arg(a, v, 100, 3600000, &o.agent_deadline_ms)) return EM_EXIT_USAGE; i++; }
        else if (strcmp(a, "--max-hops") == 0) { if (num_arg(a, v, 0, 1000, &o.max_hops)) return EM_EXIT_USAGE; i++; }
        else if (strcmp(a, "--max-vlans") == 0) {
            if (num_arg(a, v, 0, 4094, &o.max_vlans)) return EM_EXIT_USAGE;
            if (o.max_vlans == 0) o.max_vlans = -1;   /* 0 on the command line: none */
            i++;
        }
        else if (strcmp(a, "--no-progress") == 0) no_progress = true;
        /* names learned from neighbours are looked up only when asked (no DNS packet
         * by default); --no-resolve, the old way to say "don't", is accepted as is */
        else if (strcmp(a, "--no-resolve") == 0) { /* the default */ }
        else if (strcmp(a, "--resolve") == 0) want_resolve = true;
        else if (strcmp(a, "--resolver") == 0) {
            if (!v || parse_resolver(v, &o.resolver) != 0) {
                fprintf(stderr, "edgemap discover: --resolver %s\n",
                        em_tr("には DNS サーバーのアドレスを指定してください（例: 10.1.0.53, 10.1.0.53:5353, [2001:db8::53]）",
                              "needs a DNS server address (e.g. 10.1.0.53, 10.1.0.53:5353, [2001:db8::53])"));
                return EM_EXIT_USAGE;
            }
            want_resolve = true;
            i++;
        }
        else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) { em_cmd_usage(stdout, "discover"); return EM_EXIT_OK; }
        else { fprintf(stderr, "edgemap discover: %s '%s'\n", em_tr("不明なオプション", "unknown option"), a); usage(); return EM_EXIT_USAGE; }
    }
    if (!out) { fprintf(stderr, "edgemap discover: %s\n", em_tr("-o DISC.json が必要です", "-o DISC.json is required")); usage(); return EM_EXIT_USAGE; }

    struct em_err err;
    em_err_clear(&err);
    /* the output checked before any packet: a missing folder or an input named as the
     * output fails now, not after a long crawl (checked again when writing) */
    if (check_out(out, conf_path, NULL, &err) != 0) { print_err(&err); return EM_EXIT_USAGE; }
    struct em_disc *d = em_disc_new();
    if (!d) { fprintf(stderr, "edgemap discover: %s\n", em_tr("メモリが足りません", "out of memory")); return EM_EXIT_USAGE; }
    int rc;
    if (has_emr) em_disc_set_emr_subnet(d, &emr);
    const char *origin = NULL;
    em_disc_set_data_dir(d, em_cmd_data_dir(NULL, &origin));
    if (walkdir) {
        if (n_seeds || n_scopes) {
            fprintf(stderr, "edgemap discover: %s\n", em_tr("--from-walk は --seed/--scope と一緒に使えません", "--from-walk cannot be combined with --seed/--scope"));
            em_disc_free(d);
            return EM_EXIT_USAGE;
        }
        rc = em_disc_from_walk(d, walkdir, &err);
    } else {
        if (n_seeds == 0 || n_scopes == 0) {
            fprintf(stderr, "edgemap discover: %s\n", em_tr("--seed と --scope が少なくとも1つずつ必要です", "at least one --seed and one --scope are required"));
            usage();
            em_disc_free(d);
            return EM_EXIT_USAGE;
        }
        struct em_snmp_conf *conf = NULL;
        if (conf_path) {
            rc = em_snmp_conf_load(conf_path, &conf, &err);
            if (rc) { print_err(&err); em_disc_free(d); return EM_EXIT_USAGE; }
        } else {
            const char *comm = getenv("EDGEMAP_SNMP_COMMUNITY");
            if (!comm || !*comm) {
                fprintf(stderr, "edgemap discover: %s\n",
                        em_tr("認証情報がありません: --snmp-config FILE か環境変数 EDGEMAP_SNMP_COMMUNITY を指定してください",
                              "no credentials: give --snmp-config FILE or set EDGEMAP_SNMP_COMMUNITY"));
                em_disc_free(d);
                return EM_EXIT_USAGE;
            }
            conf = em_snmp_conf_community(comm);
            if (!conf) { em_disc_free(d); return EM_EXIT_USAGE; }
        }
        if (want_resolve && !o.resolver.family) {
            char seen[256];
            if (em_disc_system_resolver(scopes, n_scopes, &o.resolver, seen, sizeof seen) != 0) {
                fprintf(stderr, "edgemap discover: --resolve: ");
                fprintf(stderr, em_tr("このコンピューターの DNS サーバー（%s）は --scope の外です。範囲外へは問い合わせないため、"
                                      "院内の DNS サーバーを --resolver ADDR で指定してください\n",
                                      "this computer's DNS servers (%s) are outside --scope, and nothing is sent outside "
                                      "the scope: give the hospital's DNS server with --resolver ADDR\n"),
                        seen[0] ? seen : em_tr("なし", "none"));
                em_snmp_conf_free(conf);
                em_disc_free(d);
                return EM_EXIT_USAGE;
            }
        }
        o.seeds = seeds; o.n_seeds = n_seeds;
        o.scopes = scopes; o.n_scopes = n_scopes;
        o.conf = conf;
        o.progress = !no_progress && isatty(STDERR_FILENO);
        rc = em_disc_crawl(d, &o, &err);
        em_snmp_conf_free(conf);
    }
    if (rc) {
        print_err(&err);
        em_disc_free(d);
        return EM_EXIT_USAGE;
    }
    struct em_outset *set = NULL;
    rc = check_out(out, conf_path, &set, &err);
    if (rc == 0) rc = em_disc_write_json(d, set, 0, &err);
    if (rc == 0) rc = em_outset_commit(set, &err);
    em_outset_free(set);
    if (rc) { print_err(&err); em_disc_free(d); return EM_EXIT_USAGE; }
    /* one warning line per agent problem (the full list is in DISC.json) */
    size_t nerr = em_disc_n_errors(d);
    for (size_t i = 0; i < nerr && i < 50; i++) {
        const char *addr, *kind, *msg;
        if (em_disc_error(d, i, &addr, &kind, &msg) == 0) {
            /* a message may quote what a device sent: shown, never obeyed */
            fprintf(stderr, "edgemap discover: %s ", em_tr("警告", "warning"));
            em_fput_visible(stderr, addr, strlen(addr));
            fprintf(stderr, ": %s: ", kind);
            em_fput_visible(stderr, msg, strlen(msg));
            fputc('\n', stderr);
        }
    }
    if (nerr > 50) fprintf(stderr, "edgemap discover: … %zu %s\n", nerr - 50, em_tr("件の警告は DISC.json を参照", "more warnings in DISC.json"));
    char sum[256];
    em_disc_summary(d, sum, sizeof sum);
    fprintf(stderr, "%s\n", sum);
    em_disc_free(d);
    return EM_EXIT_OK;
}
