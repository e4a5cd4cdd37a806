/*
 * Raw librdkafka produce workloads for rdkafka-bench. See include/CRdKafkaBench.h for
 * the measuring conventions the Swift side has to match.
 */
#define _GNU_SOURCE
#include "crk_bench_internal.h"

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
        crk_set_error(out, "bootstrap_servers and topic are required");
        return -1;
    }
    if (o->message_count < 0 || o->message_size < 0) {
        crk_set_error(out, "message_count and message_size must be >= 0");
        return -1;
    }
    if (o->key_mode != CRK_KEY_NONE && o->key_mode != CRK_KEY_STRING) {
        crk_set_error(out, "unknown key_mode %d", (int)o->key_mode);
        return -1;
    }
    if (o->mode != CRK_PRODUCE_FIRE_AND_FORGET && o->mode != CRK_PRODUCE_CALLBACK &&
        o->mode != CRK_PRODUCE_BACKGROUND) {
        crk_set_error(out, "unknown produce mode %d", (int)o->mode);
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
        crk_set_error(out, "rd_kafka_topic_new(%s): %s", topic, rd_kafka_err2str(rd_kafka_last_error()));
        return -1;
    }
    rd_kafka_resp_err_t err = rd_kafka_metadata(rk, 0, rkt, &md, 10000);
    rd_kafka_topic_destroy(rkt);
    if (err) {
        crk_set_error(out, "metadata for %s before the run: %s", topic, rd_kafka_err2str(err));
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

    if (crk_conf_set(conf, "bootstrap.servers", o->bootstrap_servers, out) != 0 ||
        crk_conf_set_extra(conf, o->config_keys, o->config_values, o->config_count, out) != 0) {
        rd_kafka_conf_destroy(conf);
        return NULL;
    }
    if (dr) {
        rd_kafka_conf_set_dr_msg_cb(conf, dr);
        rd_kafka_conf_set_error_cb(conf, crk_error_cb);
    } else { /* CRK_PRODUCE_BACKGROUND */
        rd_kafka_conf_set_events(conf, RD_KAFKA_EVENT_DR | RD_KAFKA_EVENT_ERROR);
        rd_kafka_conf_set_background_event_cb(conf, background_event_cb);
    }
    rd_kafka_conf_set_opaque(conf, st);

    rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof(errstr));
    if (!rk) { /* conf is still ours on failure */
        rd_kafka_conf_destroy(conf);
        crk_set_error(out, "rd_kafka_new(producer): %s", errstr);
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
            crk_set_error(out, "produce of message %lld failed: %s", i, rd_kafka_error_string(error));
            rd_kafka_error_destroy(error);
            return -1;
        }
        rd_kafka_error_destroy(error);
        if (crk_monotonic_seconds() >= deadline) {
            crk_set_error(out, "timed out with the producer queue full at message %lld", i);
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
    rd_kafka_resp_err_t err = rd_kafka_flush(rk, crk_timeout_ms_left(deadline));
    if (err) {
        crk_set_error(out, "flush: %s with %d messages outstanding%s%s", rd_kafka_err2str(err),
                  rd_kafka_outq_len(rk), crk_last_error_suffix(&st->errors), st->errors.last_error);
        rd_kafka_purge(rk, RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT);
        rd_kafka_flush(rk, 5000); /* serve the purge reports */
    }
}

static int finish_result(const produce_state *st, crk_result *out) {
    out->messages = st->delivered;
    out->failed = st->failed;
    out->bytes = st->bytes;
    if (st->failed > 0)
        crk_set_error(out, "%lld of %lld messages failed delivery, first: %s", st->failed,
                  st->count, rd_kafka_err2str(st->first_err));
    if (st->anomalies > 0)
        crk_set_error(out, "%lld delivery reports did not match their message", st->anomalies);
    if (!out->error[0] && st->delivered != st->count)
        crk_set_error(out, "%lld of %lld messages got no delivery report",
                  st->count - st->delivered, st->count);
    return out->error[0] ? -1 : 0;
}

/* What a produce run allocates before its window and releases after it. */
typedef struct {
    produce_state st;
    send_args *args;
    void *payload;
    rd_kafka_t *rk;
} produce_run;

/* Validates the options and allocates the run's payload and send arguments; 0 on
 * success. Either way, end_run releases what was allocated. */
static int begin_run(produce_run *run, const crk_produce_options *opts, crk_result *out) {
    memset(run, 0, sizeof(*run));
    memset(out, 0, sizeof(*out));
    if (check_produce_options(opts, out) != 0)
        return -1;
    run->st.count = opts->message_count;
    run->st.message_size = (size_t)opts->message_size;
    run->args = malloc(sizeof(*run->args));
    run->payload = malloc(run->st.message_size ? run->st.message_size : 1);
    if (!run->args || !run->payload) {
        crk_set_error(out, "out of memory");
        return -1;
    }
    memset(run->payload, 'x', run->st.message_size);
    send_args_init(run->args, opts, run->payload);
    return 0;
}

static int end_run(produce_run *run, crk_result *out) {
    if (run->rk)
        rd_kafka_destroy(run->rk);
    free(run->st.seen);
    free(run->payload);
    free(run->args);
    return out->error[0] ? -1 : 0;
}

int crk_bench_produce(const crk_produce_options *opts, crk_result *out) {
    produce_run run;

    if (!out)
        return -1;
    if (begin_run(&run, opts, out) != 0)
        return end_run(&run, out);
    produce_state *st = &run.st;
    if (opts->mode == CRK_PRODUCE_CALLBACK) {
        st->seen = calloc((size_t)(st->count / 8 + 1), 1);
        if (!st->seen) {
            crk_set_error(out, "out of memory");
            return end_run(&run, out);
        }
    }

    run.rk = new_producer(opts, st,
                          opts->mode == CRK_PRODUCE_CALLBACK ? dr_check_each
                          : opts->mode == CRK_PRODUCE_BACKGROUND ? NULL
                                                                 : dr_count,
                          out);
    if (!run.rk)
        return end_run(&run, out);

    double deadline = crk_deadline_from(opts->timeout_seconds, 300.0);
    mark start = crk_mark_now();
    for (long long i = 0; i < st->count; i++) {
        if (send_one(run.rk, run.args, i, deadline, out) != 0)
            break;
        if (opts->mode != CRK_PRODUCE_BACKGROUND)
            rd_kafka_poll(run.rk, 0);
    }
    finish_producer(run.rk, st, deadline, out);
    crk_record_window(out, start, crk_mark_now());
    finish_result(st, out);
    return end_run(&run, out);
}

int crk_bench_delivery_latency(const crk_produce_options *opts, double *latencies_us,
                               long long capacity, crk_result *out) {
    produce_run run;

    if (!out)
        return -1;
    if (begin_run(&run, opts, out) != 0)
        return end_run(&run, out);
    if (capacity < 0 || (capacity > 0 && !latencies_us)) {
        crk_set_error(out, "latencies_us is NULL or capacity negative");
        return end_run(&run, out);
    }
    produce_state *st = &run.st;
    st->latencies_us = latencies_us;
    st->capacity = capacity;

    run.rk = new_producer(opts, st, dr_latency, out);
    if (!run.rk)
        return end_run(&run, out);

    double deadline = crk_deadline_from(opts->timeout_seconds, 300.0);
    mark start = crk_mark_now();
    for (long long i = 0; i < st->count && !out->error[0]; i++) {
        st->current_id = (uintptr_t)(i + 1);
        st->reported = 0;
        st->sent_at = crk_monotonic_seconds();
        if (send_one(run.rk, run.args, i, deadline, out) != 0)
            break;
        while (!st->reported) {
            int ms = crk_timeout_ms_left(deadline);
            if (ms == 0) {
                crk_set_error(out, "timed out waiting for the delivery report of message %lld%s%s",
                              i, crk_last_error_suffix(&st->errors), st->errors.last_error);
                break;
            }
            rd_kafka_poll(run.rk, ms < 1000 ? ms : 1000);
        }
    }
    finish_producer(run.rk, st, deadline, out);
    crk_record_window(out, start, crk_mark_now());
    finish_result(st, out);
    return end_run(&run, out);
}
