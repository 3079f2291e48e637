/* main.c — the one wiring point: picks the command, maps results to exit codes.
 * Exit status (spec/cli.md): 0 no error finding, 1 an error finding, 2 unreadable
 * input or usage error. Each command lives in cmd/<name>.c. */
#include <stdio.h>
#include <string.h>

#include "cmd/cmd.h"

static void usage(FILE *f)
{
    fputs("usage:\n"
          "  edgemap check    RECORDS... [--format text|json] [--lang ja|en]\n"
          "  edgemap render   RECORDS... -o OUT [-o OUT]... [--lang ja|en] [--redact]\n"
          "  edgemap targets  RECORDS... [-o targets.csv]\n"
          "  edgemap discover --seed HOST... --scope CIDR... [--snmp-config FILE] -o DISC.json\n"
          "  edgemap discover --from-walk DIR -o DISC.json\n"
          "  edgemap diff     OLD NEW [--format text|json]   (records or model JSON)\n"
          "  edgemap template -o FILE.xlsx [--lang ja|en]\n"
          "  edgemap annotate RECORDS... -o FILE.xlsx [--party NAME] [--redact] [--accept FILE]\n",
          f);
}

static const struct {
    const char *name;
    int (*fn)(int argc, char **argv);
} commands[] = {
    {"check", em_cmd_check},
    {"render", em_cmd_render},
    {"targets", em_cmd_targets},
    {"discover", em_cmd_discover},
    {"diff", em_cmd_diff},
    {"template", em_cmd_template},
    {"annotate", em_cmd_annotate},
};

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return EM_EXIT_USAGE;
    }
    if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
        usage(stdout);
        return 0;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(argv[1], commands[i].name) == 0) return commands[i].fn(argc - 1, argv + 1);
    fprintf(stderr, "edgemap: unknown command '%s'\n", argv[1]);
    usage(stderr);
    return EM_EXIT_USAGE;
}
