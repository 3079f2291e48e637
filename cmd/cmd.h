/* cmd.h — the commands main.c dispatches to. Each gets argv starting at the command
 * name and returns the process exit status. */
#ifndef EM_CMD_H
#define EM_CMD_H

enum { EM_EXIT_OK = 0, EM_EXIT_FINDINGS = 1, EM_EXIT_USAGE = 2 };

int em_cmd_check(int argc, char **argv);     /* cmd/check.c */
int em_cmd_render(int argc, char **argv);    /* cmd/render.c */
int em_cmd_targets(int argc, char **argv);   /* cmd/render.c */
int em_cmd_discover(int argc, char **argv);  /* cmd/discover.c */
int em_cmd_diff(int argc, char **argv);      /* cmd/diff.c */
int em_cmd_fleet(int argc, char **argv);     /* cmd/fleet.c */
int em_cmd_template(int argc, char **argv);  /* cmd/template.c */
int em_cmd_annotate(int argc, char **argv);  /* cmd/annotate.c */

#endif
