/*
 * Raw librdkafka consume workloads for rdkafka-bench. See include/CRdKafkaBench.h for
 * the measuring conventions the Swift side has to match.
 */
#define _GNU_SOURCE
#include "crk_bench_internal.h"

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
    if (crk_conf_set(conf, "bootstrap.servers", o->bootstrap_servers, out) != 0 ||
        crk_conf_set(conf, "group.id", o->group_id ? o->group_id : group, out) != 0 ||
        crk_conf_set(conf, "enable.auto.commit", "false", out) != 0 ||
        crk_conf_set(conf, "auto.offset.reset", "earliest", out) != 0 ||
        crk_conf_set_extra(conf, o->config_keys, o->config_values, o->config_count, out) != 0) {
        rd_kafka_conf_destroy(conf);
        return NULL;
    }
    rd_kafka_conf_set_error_cb(conf, crk_error_cb);
    rd_kafka_conf_set_opaque(conf, errors);

    rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, errstr, sizeof(errstr));
    if (!rk) {
        rd_kafka_conf_destroy(conf);
        crk_set_error(out, "rd_kafka_new(consumer): %s", errstr);
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
        crk_set_error(out, "rd_kafka_topic_new(%s): %s", topic,
                  rd_kafka_err2str(rd_kafka_last_error()));
        return -1;
    }
    int ms = crk_timeout_ms_left(deadline);
    rd_kafka_resp_err_t err = rd_kafka_metadata(rk, 0, rkt, &md, ms > 10000 ? 10000 : ms);
    if (err) {
        crk_set_error(out, "metadata for %s: %s", topic, rd_kafka_err2str(err));
        goto done;
    }
    if (md->topic_cnt != 1 || md->topics[0].err) {
        crk_set_error(out, "metadata for %s: %s", topic,
                  md->topic_cnt ? rd_kafka_err2str(md->topics[0].err) : "topic missing");
        goto done;
    }
    if (md->topics[0].partition_cnt == 0) {
        crk_set_error(out, "topic %s has no partitions", topic);
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
        crk_set_error(out, "assign: %s", rd_kafka_err2str(err));
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
        crk_set_error(out, "subscribe %s: %s", topic, rd_kafka_err2str(err));
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
            st->first = crk_mark_now();
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
        crk_set_error(out, "bootstrap_servers and topic are required");
        return -1;
    }
    if (opts->message_count < 0 || opts->batch_size < 0) {
        crk_set_error(out, "message_count and batch_size must be >= 0");
        return -1;
    }
    double deadline = crk_deadline_from(opts->timeout_seconds, 60.0);

    if (opts->batch_size > 0) {
        batch = malloc(sizeof(*batch) * (size_t)opts->batch_size);
        if (!batch) {
            crk_set_error(out, "out of memory");
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
        int ms = crk_timeout_ms_left(deadline);
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
                crk_set_error(out, "consume_batch_queue: %s", rd_kafka_err2str(rd_kafka_last_error()));
                break;
            }
            for (ssize_t i = 0; i < n; i++)
                consumed(&st, batch[i]);
        }
    }
    mark end = crk_mark_now();

    if (st.started)
        crk_record_window(out, st.first, end);
    out->messages = st.messages;
    out->failed = st.failed;
    out->bytes = st.bytes;
    if (st.messages < opts->message_count)
        crk_set_error(out, "timed out after %lld of %lld messages%s%s", st.messages,
                  opts->message_count, crk_last_error_suffix(&st.errors), st.errors.last_error);

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
