/*
 * Raw librdkafka workloads for rdkafka-bench: what the workloads share. See include/CRdKafkaBench.h for
 * the measuring conventions the Swift side has to match.
 */
#define _GNU_SOURCE
#include "crk_bench_internal.h"

/* ------------------------------------------------------------------------ */
/* Clocks and result helpers                                                */

double crk_monotonic_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void crk_cpu_seconds(double *user_seconds, double *system_seconds) {
    struct rusage ru;
    if (getrusage(RUSAGE_SELF, &ru) != 0)
        memset(&ru, 0, sizeof(ru));
    if (user_seconds)
        *user_seconds = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6;
    if (system_seconds)
        *system_seconds = (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

const char *crk_librdkafka_version(void) {
    return rd_kafka_version_str();
}

mark crk_mark_now(void) {
    mark m;
    m.allocations = crk_allocation_count();
    crk_cpu_seconds(&m.user, &m.sys);
    m.wall = crk_monotonic_seconds();
    return m;
}

void crk_record_window(crk_result *out, mark from, mark to) {
    out->elapsed_seconds = to.wall - from.wall;
    out->cpu_user_seconds = to.user - from.user;
    out->cpu_system_seconds = to.sys - from.sys;
    out->allocations = from.allocations < 0 ? -1 : to.allocations - from.allocations;
}

/* Keeps the first error: later ones are usually consequences of it. */
__attribute__((format(printf, 2, 3)))
void crk_set_error(crk_result *out, const char *fmt, ...) {
    if (out->error[0])
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(out->error, sizeof(out->error), fmt, ap);
    va_end(ap);
}

int crk_timeout_ms_left(double deadline) {
    double left = deadline - crk_monotonic_seconds();
    if (left <= 0)
        return 0;
    if (left > 2e6) /* keep it inside an int of milliseconds */
        left = 2e6;
    return (int)(left * 1000.0) + 1;
}

/* ------------------------------------------------------------------------ */
/* Configuration                                                            */

int crk_conf_set(rd_kafka_conf_t *conf, const char *key, const char *value,
                 crk_result *out) {
    char errstr[256];
    if (!key || !value) {
        crk_set_error(out, "config entry with NULL key or value");
        return -1;
    }
    if (rd_kafka_conf_set(conf, key, value, errstr, sizeof(errstr)) != RD_KAFKA_CONF_OK) {
        crk_set_error(out, "config %s=%s: %s", key, value, errstr);
        return -1;
    }
    return 0;
}

int crk_conf_set_extra(rd_kafka_conf_t *conf, const char *const *keys,
                       const char *const *values, int count, crk_result *out) {
    if (count > 0 && (!keys || !values)) {
        crk_set_error(out, "config_count is %d but config_keys/config_values is NULL", count);
        return -1;
    }
    for (int i = 0; i < count; i++)
        if (crk_conf_set(conf, keys[i], values[i], out) != 0)
            return -1;
    return 0;
}

void crk_error_cb(rd_kafka_t *rk, int err, const char *reason, void *opaque) {
    client_errors *ce = opaque;
    (void)rk;
    snprintf(ce->last_error, sizeof(ce->last_error), "%s: %s",
             rd_kafka_err2name((rd_kafka_resp_err_t)err), reason);
}

const char *crk_last_error_suffix(const client_errors *ce) {
    return ce->last_error[0] ? "; last client error: " : "";
}

double crk_deadline_from(double timeout_seconds, double fallback) {
    return crk_monotonic_seconds() + (timeout_seconds > 0 ? timeout_seconds : fallback);
}

