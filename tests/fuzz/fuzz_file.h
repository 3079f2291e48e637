/* fuzz_file.h — helpers for the targets whose loader takes a path (fuzz_accept,
 * fuzz_advisory, fuzz_eos, fuzz_makers). The input goes into an anonymous memory file
 * (memfd_create) and the loader is given /proc/self/fd/N: no file is left behind and no
 * name is shared, so several fuzzers can run at once. The target defines _GNU_SOURCE
 * (for memfd_create) before its first include. */
#ifndef EM_FUZZ_FILE_H
#define EM_FUZZ_FILE_H
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* Puts size bytes of data into memory file slot (0 or 1: a target may need two files;
 * each is created on its first use, then truncated and rewritten for each input) and
 * returns its /proc/self/fd path, a static string per slot. Aborts when the memory file
 * cannot be made or written: that is the harness failing, not the parser. */
static inline const char *fuzz_path_at(int slot, const uint8_t *data, size_t size)
{
    static int fd[2] = {-1, -1};
    static char path[2][64];
    if (slot < 0 || slot > 1) abort();
    if (fd[slot] < 0) {
        fd[slot] = memfd_create("edgemap-fuzz", MFD_CLOEXEC);
        if (fd[slot] < 0) abort();
        snprintf(path[slot], sizeof path[slot], "/proc/self/fd/%d", fd[slot]);
    }
    if (ftruncate(fd[slot], 0) != 0) abort();
    size_t off = 0;
    while (off < size) {
        ssize_t k = pwrite(fd[slot], data + off, size - off, (off_t)off);
        if (k <= 0) abort();
        off += (size_t)k;
    }
    return path[slot];
}

/* fuzz_path_at() for the target's one file. */
static inline const char *fuzz_path_of(const uint8_t *data, size_t size)
{
    return fuzz_path_at(0, data, size);
}

/* Copies line k (0-based, lines end at '\n'; a '\r' before it and NUL bytes are kept
 * out) of data into buf as a C string of at most size - 1 bytes; "" when there are
 * fewer lines. Lets a target feed its own input's text to the matchers. Returns buf. */
static inline char *fuzz_line(const uint8_t *data, size_t size, int k, char *buf, size_t cap)
{
    size_t i = 0, n = 0;
    for (; i < size && k > 0; i++)
        if (data[i] == '\n') k--;
    if (k == 0)
        for (; i < size && data[i] != '\n' && n + 1 < cap; i++)
            if (data[i] != '\0' && data[i] != '\r') buf[n++] = (char)data[i];
    buf[n] = '\0';
    return buf;
}

#endif
