/* sax_bare.c — the floor for the xlsx reader in bench/import.sh: libxml2's SAX2 push
 * parser over an already inflated sheet XML file, with callbacks that do nothing,
 * fed in 128 KiB chunks with the options the reader uses (XML_PARSE_NONET only).
 *   sax_bare FILE.xml      prints the number of elements seen */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>

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

int main(int argc, char **argv)
{
    if (argc != 2) {
        fputs("usage: sax_bare FILE.xml\n", stderr);
        return 2;
    }
    FILE *f = fopen(argv[1], "rb");
    if (!f) {
        perror(argv[1]);
        return 2;
    }
    xmlSAXHandler h;
    memset(&h, 0, sizeof h);
    h.initialized = XML_SAX2_MAGIC;
    h.startElementNs = on_start;
    h.endElementNs = on_end;
    h.characters = on_text;
    h.ignorableWhitespace = on_text;
    h.cdataBlock = on_text;
    static char buf[128 * 1024];
    size_t n = fread(buf, 1, 4, f);
    xmlParserCtxtPtr ctxt = xmlCreatePushParserCtxt(&h, NULL, buf, (int)n, argv[1]);
    if (!ctxt) return 2;
    xmlCtxtUseOptions(ctxt, XML_PARSE_NONET);
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
        if (xmlParseChunk(ctxt, buf, (int)n, 0) != 0) break;
    }
    xmlParseChunk(ctxt, NULL, 0, 1);
    int ok = ctxt->wellFormed;
    xmlFreeParserCtxt(ctxt);
    fclose(f);
    printf("%lu elements%s\n", elements, ok ? "" : " (not well-formed)");
    return ok ? 0 : 1;
}
