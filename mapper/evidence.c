/* evidence.c — which declared devices discovery could have seen (see evidence.h). */
#include "mapper/evidence.h"

#include <stdlib.h>
#include <string.h>

static bool has(const char *s, const char *const *words, size_t n)
{
    for (size_t i = 0; s && i < n; i++)
        if (strstr(s, words[i])) return true;
    return false;
}

/* Written types that are not SNMP-manageable network gear. */
static const char *const not_gear[] = {"電話", "TA", "ONU", "ＯＮＵ", "モデム", "CTU", "ターミナルアダプタ", "PBX", "FAX"};
/* Services and carriers of mobile lines (the router behind one is a mobile router). */
static const char *const mobile[] = {"モバイル", "LTE", "5G", "4G", "携帯", "ワイヤレス", "WiMAX"};

/* The device's own kind: SNMP-manageable gear, by its type or written type. */
static bool gear(const struct em_device *d)
{
    switch (d->type) {
    case EM_DEV_ONU: case EM_DEV_MODEM: case EM_DEV_HGW:
        return false;
    case EM_DEV_OTHER: case EM_DEV_UNSET:
        return !has(d->type_raw, not_gear, sizeof not_gear / sizeof not_gear[0]);
    default:
        return true;
    }
}

/* What path p says of the devices on it: PATH_MOBILE (its line is a mobile one),
 * PATH_OPEN (neither a closed network nor a phone line). */
enum { PATH_OPEN = 1, PATH_MOBILE = 2 };
static unsigned path_kind(const struct em_model *m, const struct em_path *p)
{
    const struct em_line *l = p->line < m->n_lines ? &m->lines[p->line] : NULL;
    if (l && (has(l->service, mobile, sizeof mobile / sizeof mobile[0]) ||
              has(l->carrier, mobile, sizeof mobile / sizeof mobile[0])))
        return PATH_MOBILE;
    return p->comm_type != EM_COMM_CLOSED && p->comm_type != EM_COMM_PHONE ? PATH_OPEN : 0;
}

bool em_discovery_can_see(const struct em_model *m, size_t di)
{
    if (!m || di >= m->n_devices || !gear(&m->devices[di])) return false;
    /* the paths through it: only closed networks / phone lines, or a mobile line */
    bool open_path = false;
    for (size_t i = 0; i < m->n_paths; i++) {
        const struct em_path *p = &m->paths[i];
        if (p->dev[0] != di && p->dev[1] != di) continue;
        unsigned k = path_kind(m, p);
        if (k & PATH_MOBILE) return false;
        if (k & PATH_OPEN) open_path = true;
    }
    return open_path;
}

bool *em_discovery_can_see_all(const struct em_model *m)
{
    unsigned char *seen = calloc(m->n_devices ? m->n_devices : 1, 1);
    bool *out = calloc(m->n_devices ? m->n_devices : 1, sizeof *out);
    if (!seen || !out) {
        free(seen);
        free(out);
        return NULL;
    }
    for (size_t i = 0; i < m->n_paths; i++) {
        const struct em_path *p = &m->paths[i];
        if ((p->dev[0] == EM_NONE || p->dev[0] >= m->n_devices) && (p->dev[1] == EM_NONE || p->dev[1] >= m->n_devices))
            continue;
        unsigned k = path_kind(m, p);
        for (int s = 0; s < 2; s++)
            if (p->dev[s] != EM_NONE && p->dev[s] < m->n_devices) seen[p->dev[s]] |= (unsigned char)k;
    }
    for (size_t d = 0; d < m->n_devices; d++)
        out[d] = !(seen[d] & PATH_MOBILE) && (seen[d] & PATH_OPEN) && gear(&m->devices[d]);
    free(seen);
    return out;
}

const char *em_device_evidence(const struct em_device *d)
{
    if (d->source == EM_SRC_DISCOVERED) return "seen_only";
    if (d->disc_id || d->source == EM_SRC_BOTH) return "declared_seen";
    return d->disc_unverified ? "unverified" : "declared";
}

static const struct em_device *device_by_id(const struct em_model *m, const char *id)
{
    size_t i = em_model_find_device(m, id);  /* hashed: this runs once per edge */
    return i == EM_NONE ? NULL : &m->devices[i];
}

const char *em_edge_evidence(const struct em_model *m, const struct em_edge *e)
{
    if (e->discovered) return "seen_only";
    if (e->seen_ends >= 2) return "both_ends";
    if (e->seen_ends == 1) return "one_end";
    const struct em_device *a = device_by_id(m, e->from), *b = device_by_id(m, e->to);
    if (a && b && a->disc_id && b->disc_id) return "declared_seen";
    return "declared";
}
