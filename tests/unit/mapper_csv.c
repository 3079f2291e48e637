/* Unit tests for the CSV reader: encodings, quoting, line ends, caps. */
#include <glib.h>
#include <stdlib.h>

#include "mapper/csv.h"
#include "mapper/lang.h"
#include "t.h"

struct got {
    int rows;
    long rownum[16];
    char cells[16][8][256];
    int ncells[16];
};

static int collect(void *ctx, const struct em_row *r, struct em_err *err)
{
    (void)err;
    struct got *g = ctx;
    if (g->rows >= 16) return 1;
    g->rownum[g->rows] = r->row;
    g->ncells[g->rows] = (int)r->n;
    for (size_t i = 0; i < r->n && r->cells[i].col < 8; i++)
        snprintf(g->cells[g->rows][r->cells[i].col], 256, "%s", r->cells[i].text);
    g->rows++;
    return 0;
}

static struct got g;
static struct em_err err;

static int read_str(const char *s)
{
    memset(&g, 0, sizeof g);
    memset(&err, 0, sizeof err);
    return em_csv_read_mem("t.csv", s, strlen(s), collect, &g, &err);
}

static void t_plain_crlf(void)
{
    T_EQ_INT(read_str("a,b,c\r\n1,,3\r\n"), 0);
    T_EQ_INT(g.rows, 2);
    T_EQ_STR(g.cells[0][2], "c");
    T_EQ_STR(g.cells[1][0], "1");
    T_EQ_STR(g.cells[1][1], "");   /* blank cells are not delivered */
    T_EQ_INT(g.ncells[1], 2);
    T_EQ_STR(g.cells[1][2], "3");
}

static void t_bom(void)
{
    T_EQ_INT(read_str("\xEF\xBB\xBF通信形態,回線No\n閉域網,1\n"), 0);
    T_EQ_STR(g.cells[0][0], "通信形態");
    T_EQ_STR(g.cells[1][1], "1");
}

static void t_quotes_newlines(void)
{
    T_EQ_INT(read_str("x,\"a\r\nb \"\"q\"\", c\",y\r\nnext,row\r\n"), 0);
    T_EQ_INT(g.rows, 2);
    T_EQ_STR(g.cells[0][1], "a\r\nb \"q\", c");
    T_EQ_STR(g.cells[0][2], "y");
    /* a record with an embedded newline is still one spreadsheet row */
    T_EQ_INT(g.rownum[1], 2);
}

static void t_cp932(void)
{
    /* "通信形態,回線事業者\r\nインターネット,NTT東日本\r\n" in CP932 */
    const char *utf8 = "通信形態,回線事業者\r\nインターネット,NTT東日本\r\n";
    gsize n = 0;
    char *sj = g_convert(utf8, -1, "CP932", "UTF-8", NULL, &n, NULL);
    T_ASSERT(sj != NULL);
    memset(&g, 0, sizeof g);
    memset(&err, 0, sizeof err);
    int rc = em_csv_read_mem("sj.csv", sj, n, collect, &g, &err);
    g_free(sj);
    T_EQ_INT(rc, 0);
    T_EQ_STR(g.cells[0][0], "通信形態");
    T_EQ_STR(g.cells[1][1], "NTT東日本");
}

static void t_cp932_specials(void)
{
    /* CP932-only characters (① and the NEC-selected IBM extensions) must convert */
    const char *utf8 = "装置①_メーカー,髙\r\n";
    gsize n = 0;
    char *sj = g_convert(utf8, -1, "CP932", "UTF-8", NULL, &n, NULL);
    T_ASSERT(sj != NULL);
    memset(&g, 0, sizeof g);
    int rc = em_csv_read_mem("sj.csv", sj, n, collect, &g, &err);
    g_free(sj);
    T_EQ_INT(rc, 0);
    T_EQ_STR(g.cells[0][0], "装置①_メーカー");
    T_EQ_STR(g.cells[0][1], "髙");
}

static void t_unclosed_quote(void)
{
    T_ASSERT(read_str("a,b\n1,\"open\n2,3\n") < 0);
    T_EQ_INT(err.row, 2);
    T_ASSERT(strlen(err.msg) > 0);
}

static void t_utf16_refused(void)
{
    const char data[] = "\xFF\xFEx\0,\0";
    memset(&err, 0, sizeof err);
    T_ASSERT(em_csv_read_mem("u16.csv", data, sizeof data - 1, collect, &g, &err) == EM_ERR_FORMAT);
}

static void t_binary_refused(void)
{
    const char data[] = "PK\3\4\0\0garbage";
    memset(&err, 0, sizeof err);
    T_ASSERT(em_csv_read_mem("x.csv", data, sizeof data - 1, collect, &g, &err) == EM_ERR_FORMAT);
}

static void t_cell_cap(void)
{
    size_t n = EM_MAX_CELL_BYTES + 10;
    char *big = malloc(n + 1);
    T_ASSERT(big != NULL);
    memset(big, 'x', n);
    big[n] = '\0';
    memset(&err, 0, sizeof err);
    int rc = em_csv_read_mem("big.csv", big, n, collect, &g, &err);
    free(big);
    T_EQ_INT(rc, EM_ERR_LIMIT);
}

static void t_cell_cap_after_quote(void)
{
    /* text after a closing quote counts towards the cap too */
    size_t n = EM_MAX_CELL_BYTES + 10;
    char *big = malloc(n + 4);
    T_ASSERT(big != NULL);
    memcpy(big, "\"a\"", 3);
    memset(big + 3, 'x', n);
    big[n + 3] = '\0';
    memset(&err, 0, sizeof err);
    int rc = em_csv_read_mem("big.csv", big, n + 3, collect, &g, &err);
    free(big);
    T_EQ_INT(rc, EM_ERR_LIMIT);
}

static void t_missing_file(void)
{
    memset(&err, 0, sizeof err);
    T_EQ_INT(em_csv_read("/nonexistent/x.csv", collect, &g, &err), EM_ERR_IO);
    T_EQ_STR(err.file, "/nonexistent/x.csv");
}

static void t_no_trailing_newline(void)
{
    T_EQ_INT(read_str("a,b\n1,2"), 0);
    T_EQ_INT(g.rows, 2);
    T_EQ_STR(g.cells[1][1], "2");
}

/* a UTF-8 mark (BOM) in front of CP932 text: said as such, with what to do */
static void t_bom_cp932(void)
{
    /* BOM, "回線No,通信形態\r\n1,ｲﾝﾀｰﾈｯﾄ\r\n" in CP932 */
    const char data[] = "\xEF\xBB\xBF" "\x89\xf1\x90\xfcNo,\x92\xca\x90\x4d\x8c\x60\x91\xd4\r\n"
                        "1,\xb2\xdd\xc0\xb0\xc8\xaf\xc4\r\n";
    memset(&g, 0, sizeof g);
    em_err_clear(&err);
    T_EQ_INT(em_csv_read_mem("bomsj.csv", data, sizeof data - 1, collect, &g, &err), EM_ERR_FORMAT);
    T_ASSERT(strstr(err.msg, "UTF-8 の印（BOM）") != NULL);
    T_ASSERT(strstr(err.msg, "CP932") != NULL);
    T_EQ_INT(err.row, 1);
    em_lang_set(EM_LANG_EN);
    em_err_clear(&err);
    int rc = em_csv_read_mem("bomsj.csv", data, sizeof data - 1, collect, &g, &err);
    em_lang_set(EM_LANG_JA);
    T_EQ_INT(rc, EM_ERR_FORMAT);
    T_ASSERT(strstr(err.msg, "starts with a UTF-8 mark (BOM) but is not UTF-8") != NULL);
}

static const struct t_case cases[] = {
    {"csv: plain CRLF, blank cells skipped", t_plain_crlf},
    {"csv: UTF-8 BOM", t_bom},
    {"csv: UTF-8 BOM in front of CP932 text said as such", t_bom_cp932},
    {"csv: quoted fields with newlines and doubled quotes", t_quotes_newlines},
    {"csv: CP932 detected and converted", t_cp932},
    {"csv: CP932 circled digits and IBM extensions", t_cp932_specials},
    {"csv: unclosed quote names the row", t_unclosed_quote},
    {"csv: UTF-16 refused with a message", t_utf16_refused},
    {"csv: binary refused", t_binary_refused},
    {"csv: cell length cap", t_cell_cap},
    {"csv: cell length cap after a closing quote", t_cell_cap_after_quote},
    {"csv: missing file", t_missing_file},
    {"csv: last row without newline", t_no_trailing_newline},
};
T_MAIN(cases)
