/* common.h — what every records command shares: --lang, --survey-date, --data, and
 * loading RECORDS... into a finished model with errors printed the same way. */
#ifndef EM_CMD_COMMON_H
#define EM_CMD_COMMON_H
#include <stddef.h>

#include "mapper/model.h"
#include "mapper/outset.h"

#define EM_MAX_SCAN_FILES 64

struct em_common_opts {
    const char *survey_date;  /* --survey-date YYYY-MM-DD, or NULL */
    const char *data_dir;     /* --data DIR, or NULL: em_cmd_data_dir() decides */
    const char *discovered;   /* --discovered DISC.json, or NULL */
    const char *scans[EM_MAX_SCAN_FILES];  /* --scan NMAP.xml, repeatable */
    size_t nscans;
    const char *accept;       /* --accept FILE (accepted findings), or NULL */
    const char *layout;       /* --layout FILE.drawio (hand-placed positions), or NULL */
};

void em_common_init(struct em_common_opts *o);

/* Consumes a shared option at argv[i]: returns how many argv entries it used (0: not
 * a shared option, -1: a shared option with a bad or missing value; a message is
 * printed). --lang takes effect at once (em_lang_set). */
int em_common_arg(struct em_common_opts *o, int argc, char **argv, int i);

/* Reads every file into a new finished model, then merges --discovered and every
 * --scan (they need the finished model: declared addresses, devices) (*out, caller frees with
 * em_model_free()). Returns EM_EXIT_OK, or EM_EXIT_USAGE after printing on stderr
 * which file could not be read and why (sheet, row, column when known). */
int em_common_load(const struct em_common_opts *o, const char **files, size_t n,
                   struct em_model **out);

/* As em_common_load for one records file already read into data[0..len) (a pipe read
 * once); name is its name in messages. */
int em_common_load_mem(const struct em_common_opts *o, const char *name, const char *data, size_t len,
                       struct em_model **out);

/* The outputs of a run as one set (mapper/outset.h), checked before anything is read:
 * every input (files, --discovered, --scan, --accept) is declared, so none can be an
 * output; a missing folder or a repeated output is refused. Returns the set (caller
 * frees with em_outset_free) or NULL after printing why as "edgemap CMD: ...". */
struct em_outset *em_common_outset(const char *cmd, const struct em_common_opts *o, const char *const *files,
                                   size_t nfiles, const char *const *outs, size_t nouts);

/* Picks the message language from the locale: the first of LC_ALL, LC_MESSAGES, LANG
 * that is set decides; English only when it names English (en_US.UTF-8), else
 * Japanese (ja_JP.UTF-8, C, POSIX, C.UTF-8 and every other locale). --lang overrides. */
void em_cmd_lang_from_env(void);

/* Where the data files are (the search order, docs/guide: "Data"): opt (--data DIR),
 * else $EDGEMAP_DATA, else the source tree's data/ when this binary is the one built
 * there, else the compiled-in DATADIR. *origin names which ("--data", "EDGEMAP_DATA",
 * "tree", "DATADIR"). The strings are static or from argv/environ: never freed. */
const char *em_cmd_data_dir(const char *opt, const char **origin);

/* Resolves the data directory into *dir and checks that its files are there; if not,
 * prints an error naming the file and all three places it is looked for and returns
 * EM_EXIT_USAGE. */
int em_cmd_data_ready(const char *opt, const char **dir);

/* Fills mapper/about.h's list: edgemap's version, the data versions in data_dir (may
 * be NULL), every module's libraries. */
void em_cmd_about(const char *data_dir);

/* The one-line summary of a run that wrote outputs (render, targets, annotate), on
 * stderr: the files written (n == 0: stdout), the findings by severity, and what the
 * exit status rc (EM_EXIT_OK or EM_EXIT_FINDINGS) means. */
void em_cmd_summary(const char *cmd, const struct em_model *m, const char *const *outs, size_t n, int rc);

#endif
