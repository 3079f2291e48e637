/* render.c — `edgemap render` and `edgemap targets`. */
#include <stdio.h>

#include "cmd/cmd.h"

int em_cmd_render(int argc, char **argv)
{
    (void)argc; (void)argv;
    fputs("edgemap render: not built yet\n", stderr);
    return EM_EXIT_USAGE;
}

int em_cmd_targets(int argc, char **argv)
{
    (void)argc; (void)argv;
    fputs("edgemap targets: not built yet\n", stderr);
    return EM_EXIT_USAGE;
}
