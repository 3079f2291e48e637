/* sax_bare.c — the floors for the xlsx reader in bench/import.sh: libxml2's SAX2 push
 * parser with callbacks that do nothing, fed in 128 KiB chunks with the options the
 * reader uses (XML_PARSE_NONET only), over
 *   sax_bare FILE.xml              a sheet XML file inflated beforehand (unzip -p), or
 *   sax_bare BOOK.xlsx ENTRY       the zip entry itself, read with libzip's zip_fread in
 *                                  the same thread (inflate + CRC once, as any reader of
 *                                  the workbook must).
 * Prints the number of elements seen; exit 1 when the XML is not well-formed, or the
 * entry cannot be read to its end (CRC). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <zip.h>

static unsigned long elements;

static void on_start(void *ctx, const xmlChar *n, const xmlChar *prefix, const xmlChar *uri,
                     int nns, const xmlChar **ns, int nattrs, int ndef, const xmlChar **attrs)
{
    (void)ctx, (void)n, (void)prefix, (void)uri, (void)nns, (void)ns, (void)nattrs, (void)ndef;
    (void)attrs;
    elements++;
}

static void on_end(void *ctx, const xmlChar *n, const xmlChar *prefix, const xmlChar *uri)
{
    (void)ctx, (void)n, (void)prefix, (void)uri;
}

static void on_text(void *ctx, const xmlChar *v, int len)
{
    (void)ctx, (void)v, (void)len;
}

/* The input: a plain file or a zip entry. read_in returns the byte count, 0 at the
 * end, -1 on an error. */
struct in {
    FILE *f;
    zip_t *z;
    zip_file_t *zf;
};

static long read_in(struct in *in, char *buf, size_t n)
{
    if (in->f) {
        size_t k = fread(buf, 1, n, in->f);
        return k == 0 && ferror(in->f) ? -1 : (long)k;
    }
    zip_int64_t k = zip_fread(in->zf, buf, n);
    return k < 0 ? -1 : (long)k;
}

/* Opens argv[1] (and argv[2], the entry); 0 or -1 with a message. */
static int open_in(struct in *in, int argc, char **argv)
{
    memset(in, 0, sizeof *in);
    if (argc == 2) {
        in->f = fopen(argv[1], "rb");
        if (!in->f) {
            perror(argv[1]);
            return -1;
        }
        return 0;
    }
    int ze = 0;
    in->z = zip_open(argv[1], ZIP_RDONLY, &ze);
    if (!in->z) {
        fprintf(stderr, "%s: cannot open as a zip (libzip error %d)\n", argv[1], ze);
        return -1;
    }
    in->zf = zip_fopen(in->z, argv[2], 0);
    if (!in->zf) {
        fprintf(stderr, "%s: %s: %s\n", argv[1], argv[2], zip_strerror(in->z));
        zip_close(in->z);
        return -1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 2 && argc != 3) {
        fputs("usage: sax_bare FILE.xml | sax_bare BOOK.xlsx ENTRY\n", stderr);
        return 2;
    }
    struct in in;
    if (open_in(&in, argc, argv) != 0) return 2;
    xmlSAXHandler h;
    memset(&h, 0, sizeof h);
    h.initialized = XML_SAX2_MAGIC;
    h.startElementNs = on_start;
    h.endElementNs = on_end;
    h.characters = on_text;
    h.ignorableWhitespace = on_text;
    h.cdataBlock = on_text;
    static char buf[128 * 1024];
    long n = read_in(&in, buf, 4);
    xmlParserCtxtPtr ctxt = n < 0 ? NULL : xmlCreatePushParserCtxt(&h, NULL, buf, (int)n, argv[argc - 1]);
    if (!ctxt) return 2;
    xmlCtxtUseOptions(ctxt, XML_PARSE_NONET);
    int ioerr = 0;
    while ((n = read_in(&in, buf, sizeof buf)) > 0) {
        if (xmlParseChunk(ctxt, buf, (int)n, 0) != 0) break;
    }
    if (n < 0) ioerr = 1;
    xmlParseChunk(ctxt, NULL, 0, 1);
    int ok = ctxt->wellFormed && !ioerr;
    xmlFreeParserCtxt(ctxt);
    if (in.f) fclose(in.f);
    if (in.zf) {
        if (ioerr) fprintf(stderr, "%s: %s\n", argv[2], zip_file_strerror(in.zf));
        zip_fclose(in.zf);
        zip_close(in.z);
    }
    printf("%lu elements%s\n", elements, ok ? "" : " (not well-formed, or a read error)");
    return ok ? 0 : 1;
}
