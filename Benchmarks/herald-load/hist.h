/* A log-linear latency histogram in the manner of HdrHistogram: values below 2^HIST_SUB_BITS are
 * counted exactly, larger ones in 2^HIST_SUB_BITS linear sub-buckets per power of two, so every
 * recorded value is known to within 1/128 (0.8 %). Values are nanoseconds; the range is all of uint64. */
#ifndef HERALD_LOAD_HIST_H
#define HERALD_LOAD_HIST_H

#include <stdint.h>

#define HIST_SUB_BITS 7

typedef struct {
    uint64_t *counts;
    uint64_t total;
    uint64_t min;
    uint64_t max;
    long double sum;
} hist_t;

int hist_init(hist_t *h);
void hist_free(hist_t *h);
void hist_record(hist_t *h, uint64_t value);
/* The value at or below which `percent` of the recorded values lie (0 when nothing was recorded). */
uint64_t hist_percentile(const hist_t *h, double percent);
double hist_mean(const hist_t *h);

#endif
