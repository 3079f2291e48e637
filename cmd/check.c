/* check.c — `edgemap check`: validate records, print findings (text or JSON). */
#include <stdio.h>

#include "cmd/cmd.h"

int em_cmd_check(int argc, char **argv)
{
    (void)argc; (void)argv;
    fputs("edgemap check: not built yet\n", stderr);
    return EM_EXIT_USAGE;
}
