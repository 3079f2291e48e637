/* discover.c — `edgemap discover`. */
#include <stdio.h>

#include "cmd/cmd.h"

int em_cmd_discover(int argc, char **argv)
{
    (void)argc; (void)argv;
    fputs("edgemap discover: not built yet\n", stderr);
    return EM_EXIT_USAGE;
}
