/* main.c — the one wiring point: picks the language, the command, and maps results to
 * exit codes. Exit status (spec/cli.md): 0 no error finding, 1 an error finding, 2
 * unreadable input or usage error. Each command lives in cmd/<name>.c and has one row
 * in cmd/commands.c, which also makes --help, `edgemap help` and the completion. */
#include <stdio.h>
#include <string.h>

#include "cmd/cmd.h"
#include "cmd/commands.h"
#include "cmd/common.h"
#include "mapper/lang.h"

static int is_help(const char *a) { return strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0; }

int main(int argc, char **argv)
{
    /* the language first, so every message (usage errors too) is in it */
    em_cmd_lang_from_env();
    for (int i = 1; i + 1 < argc; i++)
        if (strcmp(argv[i], "--lang") == 0) {
            if (strcmp(argv[i + 1], "en") == 0) em_lang_set(EM_LANG_EN);
            else if (strcmp(argv[i + 1], "ja") == 0) em_lang_set(EM_LANG_JA);
        }
    if (argc < 2) {
        fprintf(stderr, "edgemap: %s\n", em_tr("コマンドを指定してください", "give a command"));
        em_cmd_usage(stderr, NULL);
        return EM_EXIT_USAGE;
    }
    if (is_help(argv[1])) return em_cmd_help(1, argv + 1);
    if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) return em_cmd_version(argc - 1, argv + 1);
    const struct em_cmd_info *c = em_cmd_find(argv[1]);
    if (!c) {
        fprintf(stderr, em_tr("edgemap: 不明なコマンド '%s'\n", "edgemap: unknown command '%s'\n"), argv[1]);
        em_cmd_usage(stderr, NULL);
        return EM_EXIT_USAGE;
    }
    /* --help and --version mean the same after every command */
    for (int i = 2; i < argc; i++) {
        if (is_help(argv[i])) {
            em_cmd_usage(stdout, c->name);
            return fflush(stdout) == 0 ? EM_EXIT_OK : EM_EXIT_USAGE;
        }
        if (strcmp(argv[i], "--version") == 0) return em_cmd_version(1, argv + 1);
    }
    return c->run(argc - 1, argv + 1);
}
