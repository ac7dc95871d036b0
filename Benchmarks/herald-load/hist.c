#include "hist.h"

#include <stdlib.h>

#define SUB (1ull << HIST_SUB_BITS)
#define NBUCKETS ((64 - HIST_SUB_BITS + 1) * SUB)

static size_t bucket_of(uint64_t v) {
    if (v < SUB) return (size_t)v;
    int msb = 63 - __builtin_clzll(v);
    int shift = msb - HIST_SUB_BITS;
    return (size_t)(SUB + (uint64_t)shift * SUB + ((v >> shift) - SUB));
}

/* The middle of a bucket's range: the value reported for everything counted in it. */
static uint64_t value_of(size_t index) {
    if (index < SUB) return index;
    uint64_t shift = (index - SUB) / SUB;
    uint64_t sub = (index - SUB) % SUB;
    uint64_t low = (SUB + sub) << shift;
    return low + ((1ull << shift) >> 1);
}

int hist_init(hist_t *h) {
    h->counts = calloc(NBUCKETS, sizeof *h->counts);
    h->total = 0;
    h->min = UINT64_MAX;
    h->max = 0;
    h->sum = 0;
    return h->counts ? 0 : -1;
}

void hist_free(hist_t *h) {
    free(h->counts);
    h->counts = NULL;
}

void hist_record(hist_t *h, uint64_t value) {
    h->counts[bucket_of(value)]++;
    h->total++;
    h->sum += value;
    if (value < h->min) h->min = value;
    if (value > h->max) h->max = value;
}

uint64_t hist_percentile(const hist_t *h, double percent) {
    if (h->total == 0) return 0;
    uint64_t rank = (uint64_t)((percent / 100.0) * (double)h->total + 0.999999);
    if (rank < 1) rank = 1;
    if (rank > h->total) rank = h->total;
    uint64_t seen = 0;
    for (size_t i = 0; i < NBUCKETS; i++) {
        seen += h->counts[i];
        if (seen >= rank) {
            uint64_t v = value_of(i);
            if (v > h->max) v = h->max;
            if (v < h->min) v = h->min;
            return v;
        }
    }
    return h->max;
}

double hist_mean(const hist_t *h) {
    return h->total ? (double)(h->sum / h->total) : 0.0;
}
