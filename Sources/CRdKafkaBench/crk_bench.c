/*
 * Raw librdkafka workloads for rdkafka-bench. See include/CRdKafkaBench.h for
 * the measuring conventions the Swift side has to match.
 */
#define _GNU_SOURCE
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

/* A point in time on both clocks, so a window's wall and CPU deltas match. */
typedef struct {
    double wall, user, sys;
} mark;

static mark mark_now(void) {
    mark m;
    crk_cpu_seconds(&m.user, &m.sys);
    m.wall = crk_monotonic_seconds();
    return m;
}

static void record_window(crk_result *out, mark from, mark to) {
    out->elapsed_seconds = to.wall - from.wall;
    out->cpu_user_seconds = to.user - from.user;
    out->cpu_system_seconds = to.sys - from.sys;
}

/* Keeps the first error: later ones are usually consequences of it. */
__attribute__((format(printf, 2, 3)))
static void set_error(crk_result *out, const char *fmt, ...) {
    if (out->error[0])
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(out->error, sizeof(out->error), fmt, ap);
    va_end(ap);
}

static int timeout_ms_left(double deadline) {
    double left = deadline - crk_monotonic_seconds();
    if (left <= 0)
        return 0;
    if (left > 2e6) /* keep it inside an int of milliseconds */
        left = 2e6;
    return (int)(left * 1000.0) + 1;
}

/* ------------------------------------------------------------------------ */
/* Configuration                                                            */

static int conf_set(rd_kafka_conf_t *conf, const char *key, const char *value,
                    crk_result *out) {
    char errstr[256];
    if (!key || !value) {
        set_error(out, "config entry with NULL key or value");
        return -1;
    }
    if (rd_kafka_conf_set(conf, key, value, errstr, sizeof(errstr)) != RD_KAFKA_CONF_OK) {
        set_error(out, "config %s=%s: %s", key, value, errstr);
        return -1;
    }
    return 0;
}

static int conf_set_extra(rd_kafka_conf_t *conf, const char *const *keys,
                          const char *const *values, int count, crk_result *out) {
    if (count > 0 && (!keys || !values)) {
        set_error(out, "config_count is %d but config_keys/config_values is NULL", count);
        return -1;
    }
    for (int i = 0; i < count; i++)
        if (conf_set(conf, keys[i], values[i], out) != 0)
            return -1;
    return 0;
}

/* Client-level errors (all brokers down, fatal idempotence errors...) arrive
 * through error_cb, not per message; keeping the last one lets a timeout say
 * why. Both state structs start with this, so it can be the conf opaque. */
typedef struct {
    char last_error[256];
} client_errors;

static void error_cb(rd_kafka_t *rk, int err, const char *reason, void *opaque) {
    client_errors *ce = opaque;
    (void)rk;
    snprintf(ce->last_error, sizeof(ce->last_error), "%s: %s",
             rd_kafka_err2name((rd_kafka_resp_err_t)err), reason);
}

static const char *last_error_suffix(const client_errors *ce) {
    return ce->last_error[0] ? "; last client error: " : "";
}

/* ------------------------------------------------------------------------ */
/* Producer                                                                 */

typedef struct {
    client_errors errors;    /* must stay first, see client_errors */
    long long count;         /* messages the run sends */
    size_t message_size;
    long long delivered;
    long long failed;
    long long bytes;
    rd_kafka_resp_err_t first_err;

    /* CRK_PRODUCE_CALLBACK: one bit per message, set on its report. */
    unsigned char *seen;
    long long anomalies;     /* bad opaque, duplicate report or wrong length */

    /* Latency run: the single message in flight. */
    uintptr_t current_id;
    double sent_at;
    int reported;
    double *latencies_us;
    long long capacity;
    long long written;
} produce_state;

static void note_outcome(produce_state *st, const rd_kafka_message_t *m) {
    if (m->err) {
        st->failed++;
        if (!st->first_err)
            st->first_err = m->err;
    } else {
        st->delivered++;
        st->bytes += (long long)m->len;
    }
}

static void dr_count(rd_kafka_t *rk, const rd_kafka_message_t *m, void *opaque) {
    (void)rk;
    note_outcome(opaque, m);
}

static void dr_check_each(rd_kafka_t *rk, const rd_kafka_message_t *m, void *opaque) {
    produce_state *st = opaque;
    uintptr_t id = (uintptr_t)m->_private; /* index + 1, so never NULL */
    (void)rk;

    if (id == 0 || id > (uintptr_t)st->count) {
        st->anomalies++;
        return;
    }
    size_t idx = id - 1;
    unsigned char bit = (unsigned char)(1u << (idx & 7));
    if (st->seen[idx >> 3] & bit) {
        st->anomalies++;
        return;
    }
    st->seen[idx >> 3] |= bit;
    if (!m->err && m->len != st->message_size)
        st->anomalies++;
    note_outcome(st, m);
}

static void dr_latency(rd_kafka_t *rk, const rd_kafka_message_t *m, void *opaque) {
    double now = crk_monotonic_seconds();
    produce_state *st = opaque;
    (void)rk;

    if ((uintptr_t)m->_private != st->current_id) {
        st->anomalies++;
        return;
    }
    st->reported = 1;
    note_outcome(st, m);
    if (!m->err && st->written < st->capacity)
        st->latencies_us[st->written++] = (now - st->sent_at) * 1e6;
}

/* CRK_PRODUCE_BACKGROUND: runs on librdkafka's background thread. */
static void background_event_cb(rd_kafka_t *rk, rd_kafka_event_t *rkev, void *opaque) {
    produce_state *st = opaque;
    (void)rk;
    if (rd_kafka_event_type(rkev) == RD_KAFKA_EVENT_DR) {
        const rd_kafka_message_t *m;
        while ((m = rd_kafka_event_message_next(rkev)))
            note_outcome(st, m);
    } else if (rd_kafka_event_type(rkev) == RD_KAFKA_EVENT_ERROR) {
        snprintf(st->errors.last_error, sizeof(st->errors.last_error), "%s: %s",
                 rd_kafka_err2name(rd_kafka_event_error(rkev)), rd_kafka_event_error_string(rkev));
    }
    rd_kafka_event_destroy(rkev);
}

static int check_produce_options(const crk_produce_options *o, crk_result *out) {
    if (!o || !o->bootstrap_servers || !o->topic) {
        set_error(out, "bootstrap_servers and topic are required");
        return -1;
    }
    if (o->message_count < 0 || o->message_size < 0) {
        set_error(out, "message_count and message_size must be >= 0");
        return -1;
    }
    if (o->key_mode != CRK_KEY_NONE && o->key_mode != CRK_KEY_STRING) {
        set_error(out, "unknown key_mode %d", (int)o->key_mode);
        return -1;
    }
    if (o->mode != CRK_PRODUCE_FIRE_AND_FORGET && o->mode != CRK_PRODUCE_CALLBACK &&
        o->mode != CRK_PRODUCE_BACKGROUND) {
        set_error(out, "unknown produce mode %d", (int)o->mode);
        return -1;
    }
    return 0;
}

/* Connects and learns the topic's partitions before the timed window. Without
 * this a producer created just before the window may race its first broker
 * connection: the topic's first metadata request then finds no usable broker
 * and is retried only by librdkafka's 1 s topic scan, which would put a
 * random 1 s stall into some runs (on either side). */
static int warm_up_topic(rd_kafka_t *rk, const char *topic, crk_result *out) {
    const struct rd_kafka_metadata *md = NULL;
    rd_kafka_topic_t *rkt = rd_kafka_topic_new(rk, topic, NULL);
    if (!rkt) {
        set_error(out, "rd_kafka_topic_new(%s): %s", topic, rd_kafka_err2str(rd_kafka_last_error()));
        return -1;
    }
    rd_kafka_resp_err_t err = rd_kafka_metadata(rk, 0, rkt, &md, 10000);
    rd_kafka_topic_destroy(rkt);
    if (err) {
        set_error(out, "metadata for %s before the run: %s", topic, rd_kafka_err2str(err));
        return -1;
    }
    rd_kafka_metadata_destroy(md);
    return 0;
}

static rd_kafka_t *new_producer(const crk_produce_options *o, produce_state *st,
                                void (*dr)(rd_kafka_t *, const rd_kafka_message_t *, void *),
                                crk_result *out) {
    char errstr[512];
    rd_kafka_conf_t *conf = rd_kafka_conf_new();

    if (conf_set(conf, "bootstrap.servers", o->bootstrap_servers, out) != 0 ||
        conf_set_extra(conf, o->config_keys, o->config_values, o->config_count, out) != 0) {
        rd_kafka_conf_destroy(conf);
        return NULL;
    }
    if (dr) {
        rd_kafka_conf_set_dr_msg_cb(conf, dr);
        rd_kafka_conf_set_error_cb(conf, error_cb);
    } else { /* CRK_PRODUCE_BACKGROUND */
        rd_kafka_conf_set_events(conf, RD_KAFKA_EVENT_DR | RD_KAFKA_EVENT_ERROR);
        rd_kafka_conf_set_background_event_cb(conf, background_event_cb);
    }
    rd_kafka_conf_set_opaque(conf, st);

    rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof(errstr));
    if (!rk) { /* conf is still ours on failure */
        rd_kafka_conf_destroy(conf);
        set_error(out, "rd_kafka_new(producer): %s", errstr);
        return NULL;
    }
    if (!dr) {
        rd_kafka_queue_t *main_q = rd_kafka_queue_get_main(rk);
        rd_kafka_queue_t *bg_q = rd_kafka_queue_get_background(rk);
        if (main_q && bg_q)
            rd_kafka_queue_forward(main_q, bg_q);
        if (main_q)
            rd_kafka_queue_destroy(main_q);
        if (bg_q)
            rd_kafka_queue_destroy(bg_q);
    }
    if (warm_up_topic(rk, o->topic, out) != 0) {
        rd_kafka_destroy(rk);
        return NULL;
    }
    return rk;
}

/* Everything one produce call needs besides the per-message key and opaque. */
typedef struct {
    rd_kafka_vu_t vu[5];
    size_t cnt;
    rd_kafka_vu_t *key;      /* NULL when key_mode is CRK_KEY_NONE */
    rd_kafka_vu_t *opaque;
    int background;          /* CRK_PRODUCE_BACKGROUND: never poll */
    char keys[KEY_COUNT][KEY_MAX_LEN];
    size_t key_len[KEY_COUNT];
} send_args;

static void send_args_init(send_args *a, const crk_produce_options *o, void *payload) {
    size_t n = 0;
    memset(a, 0, sizeof(*a));

    a->vu[n].vtype = RD_KAFKA_VTYPE_TOPIC;
    a->vu[n++].u.cstr = o->topic;
    a->vu[n].vtype = RD_KAFKA_VTYPE_VALUE;
    a->vu[n].u.mem.ptr = payload;
    a->vu[n++].u.mem.size = (size_t)o->message_size;
    a->vu[n].vtype = RD_KAFKA_VTYPE_MSGFLAGS;
    a->vu[n++].u.i = RD_KAFKA_MSG_F_COPY;
    a->opaque = &a->vu[n];
    a->vu[n++].vtype = RD_KAFKA_VTYPE_OPAQUE;
    if (o->key_mode == CRK_KEY_STRING) {
        a->key = &a->vu[n];
        a->vu[n++].vtype = RD_KAFKA_VTYPE_KEY;
        for (int i = 0; i < KEY_COUNT; i++)
            a->key_len[i] = (size_t)snprintf(a->keys[i], KEY_MAX_LEN, "k%d", i);
    }
    a->cnt = n;
    a->background = o->mode == CRK_PRODUCE_BACKGROUND;
}

/* produceva, retrying while the local queue is full. 0, or -1 with out->error. */
static int send_one(rd_kafka_t *rk, send_args *a, long long i, double deadline,
                    crk_result *out) {
    if (a->key) {
        int k = (int)(i % KEY_COUNT);
        a->key->u.mem.ptr = a->keys[k];
        a->key->u.mem.size = a->key_len[k];
    }
    a->opaque->u.ptr = (void *)(uintptr_t)(i + 1);

    for (;;) {
        rd_kafka_error_t *error = rd_kafka_produceva(rk, a->vu, a->cnt);
        if (!error)
            return 0;
        rd_kafka_resp_err_t code = rd_kafka_error_code(error);
        if (code != RD_KAFKA_RESP_ERR__QUEUE_FULL) {
            set_error(out, "produce of message %lld failed: %s", i, rd_kafka_error_string(error));
            rd_kafka_error_destroy(error);
            return -1;
        }
        rd_kafka_error_destroy(error);
        if (crk_monotonic_seconds() >= deadline) {
            set_error(out, "timed out with the producer queue full at message %lld", i);
            return -1;
        }
        if (a->background)
            usleep(1000); /* the background thread frees room; polling here would serve its queue */
        else
            rd_kafka_poll(rk, 100);
    }
}

/* Waits for every outstanding report, or drops what is left at the deadline
 * so the handle can be destroyed without leaking. */
static void finish_producer(rd_kafka_t *rk, const produce_state *st, double deadline,
                            crk_result *out) {
    rd_kafka_resp_err_t err = rd_kafka_flush(rk, timeout_ms_left(deadline));
    if (err) {
        set_error(out, "flush: %s with %d messages outstanding%s%s", rd_kafka_err2str(err),
                  rd_kafka_outq_len(rk), last_error_suffix(&st->errors), st->errors.last_error);
        rd_kafka_purge(rk, RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT);
        rd_kafka_flush(rk, 5000); /* serve the purge reports */
    }
}

static int finish_result(const produce_state *st, crk_result *out) {
    out->messages = st->delivered;
    out->failed = st->failed;
    out->bytes = st->bytes;
    if (st->failed > 0)
        set_error(out, "%lld of %lld messages failed delivery, first: %s", st->failed,
                  st->count, rd_kafka_err2str(st->first_err));
    if (st->anomalies > 0)
        set_error(out, "%lld delivery reports did not match their message", st->anomalies);
    if (!out->error[0] && st->delivered != st->count)
        set_error(out, "%lld of %lld messages got no delivery report",
                  st->count - st->delivered, st->count);
    return out->error[0] ? -1 : 0;
}

static double deadline_from(double timeout_seconds, double fallback) {
    return crk_monotonic_seconds() + (timeout_seconds > 0 ? timeout_seconds : fallback);
}

int crk_bench_produce(const crk_produce_options *opts, crk_result *out) {
    produce_state st;
    send_args *args = NULL;
    void *payload = NULL;
    rd_kafka_t *rk = NULL;

    if (!out)
        return -1;
    memset(out, 0, sizeof(*out));
    memset(&st, 0, sizeof(st));
    if (check_produce_options(opts, out) != 0)
        return -1;
    st.count = opts->message_count;
    st.message_size = (size_t)opts->message_size;

    args = malloc(sizeof(*args));
    payload = malloc(st.message_size ? st.message_size : 1);
    if (opts->mode == CRK_PRODUCE_CALLBACK)
        st.seen = calloc((size_t)(st.count / 8 + 1), 1);
    if (!args || !payload || (opts->mode == CRK_PRODUCE_CALLBACK && !st.seen)) {
        set_error(out, "out of memory");
        goto done;
    }
    memset(payload, 'x', st.message_size);
    send_args_init(args, opts, payload);

    rk = new_producer(opts, &st,
                      opts->mode == CRK_PRODUCE_CALLBACK ? dr_check_each
                      : opts->mode == CRK_PRODUCE_BACKGROUND ? NULL
                                                             : dr_count,
                      out);
    if (!rk)
        goto done;

    double deadline = deadline_from(opts->timeout_seconds, 300.0);
    mark start = mark_now();
    for (long long i = 0; i < st.count; i++) {
        if (send_one(rk, args, i, deadline, out) != 0)
            break;
        if (opts->mode != CRK_PRODUCE_BACKGROUND)
            rd_kafka_poll(rk, 0);
    }
    finish_producer(rk, &st, deadline, out);
    record_window(out, start, mark_now());
    finish_result(&st, out);

done:
    if (rk)
        rd_kafka_destroy(rk);
    free(st.seen);
    free(payload);
    free(args);
    return out->error[0] ? -1 : 0;
}

int crk_bench_delivery_latency(const crk_produce_options *opts, double *latencies_us,
                               long long capacity, crk_result *out) {
    produce_state st;
    send_args *args = NULL;
    void *payload = NULL;
    rd_kafka_t *rk = NULL;

    if (!out)
        return -1;
    memset(out, 0, sizeof(*out));
    memset(&st, 0, sizeof(st));
    if (check_produce_options(opts, out) != 0)
        return -1;
    if (capacity < 0 || (capacity > 0 && !latencies_us)) {
        set_error(out, "latencies_us is NULL or capacity negative");
        return -1;
    }
    st.count = opts->message_count;
    st.message_size = (size_t)opts->message_size;
    st.latencies_us = latencies_us;
    st.capacity = capacity;

    args = malloc(sizeof(*args));
    payload = malloc(st.message_size ? st.message_size : 1);
    if (!args || !payload) {
        set_error(out, "out of memory");
        goto done;
    }
    memset(payload, 'x', st.message_size);
    send_args_init(args, opts, payload);

    rk = new_producer(opts, &st, dr_latency, out);
    if (!rk)
        goto done;

    double deadline = deadline_from(opts->timeout_seconds, 300.0);
    mark start = mark_now();
    for (long long i = 0; i < st.count && !out->error[0]; i++) {
        st.current_id = (uintptr_t)(i + 1);
        st.reported = 0;
        st.sent_at = crk_monotonic_seconds();
        if (send_one(rk, args, i, deadline, out) != 0)
            break;
        while (!st.reported) {
            int ms = timeout_ms_left(deadline);
            if (ms == 0) {
                set_error(out, "timed out waiting for the delivery report of message %lld%s%s",
                          i, last_error_suffix(&st.errors), st.errors.last_error);
                break;
            }
            rd_kafka_poll(rk, ms < 1000 ? ms : 1000);
        }
    }
    finish_producer(rk, &st, deadline, out);
    record_window(out, start, mark_now());
    finish_result(&st, out);

done:
    if (rk)
        rd_kafka_destroy(rk);
    free(payload);
    free(args);
    return out->error[0] ? -1 : 0;
}

/* ------------------------------------------------------------------------ */
/* Consumer                                                                 */

static void unique_group_id(char *buf, size_t size) {
    static unsigned long counter;
    unsigned long n = __atomic_add_fetch(&counter, 1, __ATOMIC_RELAXED);
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    snprintf(buf, size, "crk-bench-%ld-%lld%09ld-%lu", (long)getpid(),
             (long long)ts.tv_sec, ts.tv_nsec, n);
}

static rd_kafka_t *new_consumer(const crk_consume_options *o, client_errors *errors,
                                crk_result *out) {
    char errstr[512];
    char group[96];
    rd_kafka_conf_t *conf = rd_kafka_conf_new();

    if (!o->group_id)
        unique_group_id(group, sizeof(group));
    if (conf_set(conf, "bootstrap.servers", o->bootstrap_servers, out) != 0 ||
        conf_set(conf, "group.id", o->group_id ? o->group_id : group, out) != 0 ||
        conf_set(conf, "enable.auto.commit", "false", out) != 0 ||
        conf_set(conf, "auto.offset.reset", "earliest", out) != 0 ||
        conf_set_extra(conf, o->config_keys, o->config_values, o->config_count, out) != 0) {
        rd_kafka_conf_destroy(conf);
        return NULL;
    }
    rd_kafka_conf_set_error_cb(conf, error_cb);
    rd_kafka_conf_set_opaque(conf, errors);

    rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, errstr, sizeof(errstr));
    if (!rk) {
        rd_kafka_conf_destroy(conf);
        set_error(out, "rd_kafka_new(consumer): %s", errstr);
    }
    return rk;
}

/* Every partition of the topic from the beginning, without the group protocol. */
static int assign_all_partitions(rd_kafka_t *rk, const char *topic, double deadline,
                                 crk_result *out) {
    const struct rd_kafka_metadata *md = NULL;
    rd_kafka_topic_t *rkt = rd_kafka_topic_new(rk, topic, NULL);
    int rc = -1;

    if (!rkt) {
        set_error(out, "rd_kafka_topic_new(%s): %s", topic,
                  rd_kafka_err2str(rd_kafka_last_error()));
        return -1;
    }
    int ms = timeout_ms_left(deadline);
    rd_kafka_resp_err_t err = rd_kafka_metadata(rk, 0, rkt, &md, ms > 10000 ? 10000 : ms);
    if (err) {
        set_error(out, "metadata for %s: %s", topic, rd_kafka_err2str(err));
        goto done;
    }
    if (md->topic_cnt != 1 || md->topics[0].err) {
        set_error(out, "metadata for %s: %s", topic,
                  md->topic_cnt ? rd_kafka_err2str(md->topics[0].err) : "topic missing");
        goto done;
    }
    if (md->topics[0].partition_cnt == 0) {
        set_error(out, "topic %s has no partitions", topic);
        goto done;
    }

    rd_kafka_topic_partition_list_t *parts =
        rd_kafka_topic_partition_list_new(md->topics[0].partition_cnt);
    for (int i = 0; i < md->topics[0].partition_cnt; i++)
        rd_kafka_topic_partition_list_add(parts, topic, md->topics[0].partitions[i].id)->offset =
            RD_KAFKA_OFFSET_BEGINNING;
    err = rd_kafka_assign(rk, parts);
    rd_kafka_topic_partition_list_destroy(parts);
    if (err) {
        set_error(out, "assign: %s", rd_kafka_err2str(err));
        goto done;
    }
    rc = 0;

done:
    if (md)
        rd_kafka_metadata_destroy(md);
    rd_kafka_topic_destroy(rkt);
    return rc;
}

static int subscribe_topic(rd_kafka_t *rk, const char *topic, crk_result *out) {
    rd_kafka_topic_partition_list_t *topics = rd_kafka_topic_partition_list_new(1);
    rd_kafka_topic_partition_list_add(topics, topic, RD_KAFKA_PARTITION_UA);
    rd_kafka_resp_err_t err = rd_kafka_subscribe(rk, topics);
    rd_kafka_topic_partition_list_destroy(topics);
    if (err) {
        set_error(out, "subscribe %s: %s", topic, rd_kafka_err2str(err));
        return -1;
    }
    return 0;
}

typedef struct {
    client_errors errors;    /* must stay first, see client_errors; also takes
                              * error events returned as messages */
    long long messages, failed, bytes;
    int started;
    mark first;
} consume_state;

/* Takes ownership of m. */
static void consumed(consume_state *st, rd_kafka_message_t *m) {
    if (!m->err) {
        if (!st->started) { /* an early error event must not open the window */
            st->first = mark_now();
            st->started = 1;
        }
        st->messages++;
        st->bytes += (long long)m->len;
    } else if (m->err != RD_KAFKA_RESP_ERR__PARTITION_EOF) {
        st->failed++;
        snprintf(st->errors.last_error, sizeof(st->errors.last_error), "%s: %s",
                 rd_kafka_err2name(m->err), rd_kafka_message_errstr(m));
    }
    rd_kafka_message_destroy(m);
}

int crk_bench_consume(const crk_consume_options *opts, crk_result *out) {
    consume_state st;
    rd_kafka_t *rk = NULL;
    rd_kafka_queue_t *queue = NULL;
    rd_kafka_message_t **batch = NULL;

    if (!out)
        return -1;
    memset(out, 0, sizeof(*out));
    memset(&st, 0, sizeof(st));
    if (!opts || !opts->bootstrap_servers || !opts->topic) {
        set_error(out, "bootstrap_servers and topic are required");
        return -1;
    }
    if (opts->message_count < 0 || opts->batch_size < 0) {
        set_error(out, "message_count and batch_size must be >= 0");
        return -1;
    }
    double deadline = deadline_from(opts->timeout_seconds, 60.0);

    if (opts->batch_size > 0) {
        batch = malloc(sizeof(*batch) * (size_t)opts->batch_size);
        if (!batch) {
            set_error(out, "out of memory");
            goto done;
        }
    }
    rk = new_consumer(opts, &st.errors, out);
    if (!rk)
        goto done;
    /* Route the main queue (errors, rebalances) into the consumer queue. */
    rd_kafka_poll_set_consumer(rk);

    if ((opts->group_id ? subscribe_topic(rk, opts->topic, out)
                        : assign_all_partitions(rk, opts->topic, deadline, out)) != 0)
        goto done;

    if (batch)
        queue = rd_kafka_queue_get_consumer(rk);

    while (st.messages < opts->message_count) {
        int ms = timeout_ms_left(deadline);
        if (ms == 0)
            break;
        if (ms > 100)
            ms = 100;
        if (!batch) {
            rd_kafka_message_t *m = rd_kafka_consumer_poll(rk, ms);
            if (m)
                consumed(&st, m);
        } else {
            ssize_t n = rd_kafka_consume_batch_queue(queue, ms, batch, (size_t)opts->batch_size);
            if (n < 0) {
                set_error(out, "consume_batch_queue: %s", rd_kafka_err2str(rd_kafka_last_error()));
                break;
            }
            for (ssize_t i = 0; i < n; i++)
                consumed(&st, batch[i]);
        }
    }
    mark end = mark_now();

    if (st.started)
        record_window(out, st.first, end);
    out->messages = st.messages;
    out->failed = st.failed;
    out->bytes = st.bytes;
    if (st.messages < opts->message_count)
        set_error(out, "timed out after %lld of %lld messages%s%s", st.messages,
                  opts->message_count, last_error_suffix(&st.errors), st.errors.last_error);

done:
    if (queue)
        rd_kafka_queue_destroy(queue);
    if (rk) {
        rd_kafka_consumer_close(rk);
        rd_kafka_destroy(rk);
    }
    free(batch);
    return out->error[0] ? -1 : 0;
}
