/* scan_check.c — test harness for the scan / discovery merge: loads RECORDS, finishes
 * the model, merges --discovered and every --scan in the order the CLI must use, and
 * prints the findings (and, on request, services, devices and path flags) as TSV:
 *   finding CODE SEVERITY FILE(basename) ROW COLUMN LINE_NO MESSAGE
 *   service ADDRESS PROTO PORT STATE NAME SEVERITY ROW(declaring row or 0)
 *   device  ID SOURCE HOSTNAME ADDRESSES
 *   path    ROW SCANNED SCAN_UP
 *   edge    FROM TO DISCOVERED
 * Exit 0, or 2 with "error<TAB>message" when an input cannot be read.
 * usage: scan_check [--lang en] [--survey-date D] [--data DIR] [--discovered F]
 *                   [--scan F]... [--services] [--devices] [--paths] RECORDS... */
#include <stdio.h>
#include <string.h>

#include "mapper/discovered.h"
#include "mapper/lang.h"
#include "mapper/records.h"
#include "mapper/scan.h"

/* a finding's message, in a buffer that lives to the end of the enclosing block */
#define MSG(f) em_finding_msg((f), (char[EM_MSG_MAX]){0})

static const char *base(const char *p)
{
    const char *s = strrchr(p, '/');
    return s ? s + 1 : p;
}

static int fail(struct em_model *m, const struct em_err *err)
{
    char buf[2048];
    em_err_format(err, buf, sizeof buf);
    printf("error\t%s\n", buf);
    em_model_free(m);
    return 2;
}

int main(int argc, char **argv)
{
    const char *scans[64], *recs[64], *disc = NULL, *data = "data", *date = NULL;
    size_t n_scans = 0, n_recs = 0;
    int services = 0, devices = 0, paths = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--lang") == 0 && i + 1 < argc) em_lang_set(strcmp(argv[++i], "en") == 0 ? EM_LANG_EN : EM_LANG_JA);
        else if (strcmp(argv[i], "--survey-date") == 0 && i + 1 < argc) date = argv[++i];
        else if (strcmp(argv[i], "--data") == 0 && i + 1 < argc) data = argv[++i];
        else if (strcmp(argv[i], "--discovered") == 0 && i + 1 < argc) disc = argv[++i];
        else if (strcmp(argv[i], "--scan") == 0 && i + 1 < argc && n_scans < 64) scans[n_scans++] = argv[++i];
        else if (strcmp(argv[i], "--services") == 0) services = 1;
        else if (strcmp(argv[i], "--devices") == 0) devices = 1;
        else if (strcmp(argv[i], "--paths") == 0) paths = 1;
        else if (argv[i][0] != '-' && n_recs < 64) recs[n_recs++] = argv[i];
        else {
            fprintf(stderr, "scan_check: bad argument %s\n", argv[i]);
            return 2;
        }
    }
    struct em_model *m = em_model_new();
    if (!m) return 2;
    if (date) m->survey_date = date;
    struct em_err err;
    em_err_clear(&err);
    for (size_t i = 0; i < n_recs; i++)
        if (em_records_load(m, recs[i], &err) != 0) return fail(m, &err);
    if (em_model_finish(m, data, &err) != 0) return fail(m, &err);
    /* the CLI's order: discovery first (it may add devices), then every scan */
    if (disc && em_discovered_merge(m, disc, &err) != 0) return fail(m, &err);
    for (size_t i = 0; i < n_scans; i++)
        if (em_scan_load(m, scans[i], &err) != 0) return fail(m, &err);
    em_model_sort_findings(m);
    for (size_t i = 0; i < m->n_findings; i++) {
        const struct em_finding *f = &m->findings[i];
        printf("finding\t%s\t%s\t%s\t%d\t%s\t%s\t%s\n", f->code, em_severity_name(f->severity), base(f->file),
               f->row, f->column, f->line_no, MSG(f));
    }
    if (services)
        for (size_t i = 0; i < m->n_services; i++) {
            const struct em_service *s = &m->services[i];
            printf("service\t%s\t%s\t%d\t%s\t%s\t%s\t%d\n", s->address, s->proto, s->port, s->state, s->name,
                   em_severity_name(s->severity), s->path == EM_NONE ? 0 : m->paths[s->path].src.row);
        }
    if (devices)
        for (size_t i = 0; i < m->n_devices; i++) {
            const struct em_device *d = &m->devices[i];
            printf("device\t%s\t%s\t%s\t", d->id, em_source_name(d->source), d->hostname ? d->hostname : "");
            for (size_t k = 0; k < d->n_addresses; k++) printf("%s%s", k ? "," : "", d->addresses[k]);
            printf("\n");
        }
    if (devices)
        for (size_t i = 0; i < m->n_edges; i++)
            if (m->edges[i].discovered) printf("edge\t%s\t%s\tdiscovered\n", m->edges[i].from, m->edges[i].to);
    if (paths)
        for (size_t i = 0; i < m->n_paths; i++)
            printf("path\t%d\t%d\t%d\n", m->paths[i].src.row, m->paths[i].scanned, m->paths[i].scan_up);
    em_model_free(m);
    return 0;
}
