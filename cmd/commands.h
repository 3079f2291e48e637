/* commands.h — the one table of commands (cmd/commands.c): name, entry point, one-line
 * summary (ja/en), synopsis and options. Usage (--help, `edgemap help CMD`, usage
 * errors), the bash completion script and the check that every command has a man page
 * are all made from it: adding a command is one row here plus man/{en,ja}/edgemap-NAME.1.md. */
#ifndef EM_CMD_COMMANDS_H
#define EM_CMD_COMMANDS_H
#include <stdio.h>

/* One option. complete says what bash completes after it:
 *   NULL        a flag (takes no value)
 *   "w1 w2"     one of these words
 *   "<.a.b"     file names ending in .a or .b (and directories)
 *   "<"         any file name;  "/" a directory;  ""  nothing (free text, numbers) */
struct em_opt_info {
    const char *name;       /* "--format", "-o" */
    const char *arg;        /* metavariable shown in usage ("text|json", "OUT"), NULL for a flag */
    const char *complete;
    const char *ja, *en;    /* one line of help */
};

enum {
    EM_CMD_RECORDS_OPTS = 1,  /* takes the shared records options (em_records_opts) */
};

struct em_cmd_info {
    const char *name;
    int (*run)(int argc, char **argv);   /* argv[0] is the command name */
    const char *synopsis;    /* after "edgemap NAME "; forms separated by '\n' */
    const char *ja, *en;     /* one-line summary */
    const char *args;        /* completion of positional words: as em_opt_info.complete */
    const struct em_opt_info *opts;      /* ends with a row whose name is NULL */
    unsigned flags;
};

/* The table, ending with a row whose name is NULL. */
extern const struct em_cmd_info em_commands[];
/* The options shared by the commands that read records (--lang, --data ...). */
extern const struct em_opt_info em_records_opts[];

/* The row of a command, or NULL. */
const struct em_cmd_info *em_cmd_find(const char *name);

/* Full usage of one command (synopsis, summary, options, man page) in the current
 * language; name NULL: the program's usage (every command). */
void em_cmd_usage(FILE *f, const char *name);

/* For a usage error: prints "edgemap NAME: " + the formatted message (when fmt is not
 * NULL) and the short usage of the command to stderr; returns EM_EXIT_USAGE. */
int em_cmd_usage_error(const char *name, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* The bash completion script for every command in the table, to f. */
void em_cmd_bash_completion(FILE *f);

/* `edgemap version`: edgemap, data and library versions; data_dir may be NULL. */
int em_cmd_version(int argc, char **argv);
/* `edgemap help [COMMAND]`. */
int em_cmd_help(int argc, char **argv);

#endif
