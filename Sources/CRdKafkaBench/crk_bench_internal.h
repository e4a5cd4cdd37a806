/*
 * What the C workloads of rdkafka-bench share: clocks and marks, result and error
 * helpers, configuration helpers. Private to this target (not under include/).
 */
#ifndef CRK_BENCH_INTERNAL_H
#define CRK_BENCH_INTERNAL_H

#include "CRdKafkaBench.h"

#include <librdkafka/rdkafka.h>

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define KEY_COUNT 1000
#define KEY_MAX_LEN 8 /* "k999" plus room */

/* A point in time on both clocks, so a window's wall and CPU deltas match. */
typedef struct {
    double wall, user, sys;
    long long allocations; /* crk_allocation_count(), -1 when not counted */
} mark;

/* Client-level errors (all brokers down, fatal idempotence errors...) arrive
 * through crk_error_cb, not per message; keeping the last one lets a timeout say
 * why. Both state structs start with this, so it can be the conf opaque. */
typedef struct {
    char last_error[256];
} client_errors;

mark crk_mark_now(void);
void crk_record_window(crk_result *out, mark from, mark to);
void crk_set_error(crk_result *out, const char *fmt, ...);
int crk_timeout_ms_left(double deadline);
int crk_conf_set(rd_kafka_conf_t *conf, const char *key, const char *value,
                 crk_result *out);
int crk_conf_set_extra(rd_kafka_conf_t *conf, const char *const *keys,
                       const char *const *values, int count, crk_result *out);
void crk_error_cb(rd_kafka_t *rk, int err, const char *reason, void *opaque);
const char *crk_last_error_suffix(const client_errors *ce);
double crk_deadline_from(double timeout_seconds, double fallback);

#endif
