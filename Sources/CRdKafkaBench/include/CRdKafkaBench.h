/*
 * CRdKafkaBench: the raw-C side of rdkafka-bench.
 *
 * rdkafka-bench runs each workload once through these functions and once
 * through the Swift wrapper, alternating, and prints the Swift/C ratio. For
 * that ratio to mean anything, the C here is plain idiomatic librdkafka code
 * (no special tuning) and the Swift side must measure the same window with the
 * same clocks: use crk_monotonic_seconds() and crk_cpu_seconds() below, and
 * match the conventions documented on each function.
 *
 * Every function is synchronous, creates and destroys its own client handle
 * (outside the timed window), never exits the process, and reports failures in
 * crk_result.error.
 */
#ifndef CRDKAFKABENCH_H
#define CRDKAFKABENCH_H

#include <stddef.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum crk_produce_mode {
    /* One dr_msg_cb that only counts outcomes, rd_kafka_poll(rk, 0) after
     * every send: the cheapest correct way to produce with librdkafka. */
    CRK_PRODUCE_FIRE_AND_FORGET = 0,
    /* Every message carries its own opaque (its index) and the delivery
     * report checks it: right error, right length, delivered exactly once.
     * The C counterpart of a per-message completion handler in Swift. */
    CRK_PRODUCE_CALLBACK = 1,
    /* Diagnostic: as FIRE_AND_FORGET, but delivery reports are served the way
     * the Swift producer serves them: the main queue is forwarded to
     * librdkafka's background queue and a background_event_cb (on librdkafka's
     * background thread) counts them; the sending thread never polls. Shows
     * what that design costs in plain C. */
    CRK_PRODUCE_BACKGROUND = 2
} crk_produce_mode;

typedef enum crk_key_mode {
    CRK_KEY_NONE = 0,
    /* Key of message i is "k<i % 1000>" (no terminating NUL sent). The 1000
     * keys are formatted before timing starts, so the ratio measures the
     * client rather than string formatting; the Swift side should do the
     * same. */
    CRK_KEY_STRING = 1
} crk_key_mode;

typedef struct crk_produce_options {
    const char *bootstrap_servers;
    const char *topic;
    long long message_count;
    int message_size;            /* value bytes; one buffer reused, sent with RD_KAFKA_MSG_F_COPY */
    crk_key_mode key_mode;
    /* Extra librdkafka properties, applied after bootstrap.servers so they can
     * override anything (acks, linger.ms, compression.type, ...). */
    const char *const *config_keys;
    const char *const *config_values;
    int config_count;
    crk_produce_mode mode;       /* ignored by crk_bench_delivery_latency */
    /* Bound on the whole run so a dead broker cannot hang the benchmark;
     * <= 0 means 300 s (librdkafka's default message.timeout.ms). */
    double timeout_seconds;
} crk_produce_options;

typedef struct crk_result {
    long long messages;          /* delivered (produce) or received (consume) OK */
    long long failed;            /* delivery errors (produce) or error events (consume) */
    long long bytes;             /* value bytes of the OK messages; keys not counted */
    double elapsed_seconds;      /* wall time of the timed window, see each function */
    /* getrusage(RUSAGE_SELF) deltas over the same window. SELF, not THREAD,
     * because most of librdkafka's work runs on its own broker threads; this
     * also includes anything else running in the process (an in-process mock
     * cluster, other Swift threads), equally for both sides. */
    double cpu_user_seconds;
    double cpu_system_seconds;
    /* Heap allocations of the whole process over the same window (crk_allocation_count),
     * -1 when not counted. */
    long long allocations;
    char error[512];             /* empty on success */
} crk_result;

/*
 * Produces message_count messages to topic with rd_kafka_produceva() (the
 * non-variadic form, which is also what Swift can call) and
 * RD_KAFKA_MSG_F_COPY, letting the partitioner pick the partition, with
 * rd_kafka_poll(rk, 0) after every send in both modes, then flushes. On
 * RD_KAFKA_RESP_ERR__QUEUE_FULL it calls rd_kafka_poll(rk, 100) and retries.
 * Before the window the new producer fetches the topic's metadata
 * (rd_kafka_metadata for that topic), so connection set-up and partition
 * discovery stay outside it; the Swift side does the same
 * (KafkaProducer.partitionCount(of:)).
 * Timed window: from just before the first produce call until
 * rd_kafka_flush() returns, i.e. until the last delivery report was served.
 * Returns 0 on success; -1 with out->error set on any failure, including any
 * message that failed delivery (the counts are still filled).
 */
int crk_bench_produce(const crk_produce_options *opts, crk_result *out);

typedef struct crk_consume_options {
    const char *bootstrap_servers;
    const char *topic;
    /* NULL: no group protocol; all partitions are rd_kafka_assign()ed at
     * RD_KAFKA_OFFSET_BEGINNING (a unique group.id is still set because the
     * consumer queue needs one). Non-NULL: rd_kafka_subscribe() with
     * auto.offset.reset=earliest. Either way enable.auto.commit=false, so a
     * reused group id reads from the beginning again. */
    const char *group_id;
    /* Stop after this many OK messages. Against the mock cluster ask for no
     * more than the log still holds (sum of high - low watermarks): it evicts
     * beyond ~5 MiB per partition, and keyless producing (sticky partitioner)
     * piles whole batches onto a few partitions, so some are evicted even
     * when the total would fit. */
    long long message_count;
    /* 0: rd_kafka_consumer_poll() one message at a time; > 0:
     * rd_kafka_consume_batch_queue() on the consumer queue, up to this many. */
    int batch_size;
    double timeout_seconds;      /* whole run, including join/assign; <= 0 means 60 s */
    /* Applied after the defaults above, so they can override them. Against
     * librdkafka 2.0.2 pass queued.min.messages=1000000, or the figures
     * measure the consumer's fetch pauses instead of the client. */
    const char *const *config_keys;
    const char *const *config_values;
    int config_count;
} crk_consume_options;

/*
 * Consumes message_count messages. Timed window: from the return of the first
 * message to the return of the last one counted, so group join and the first
 * fetch round trip are excluded (they would dominate short runs). A batch is
 * counted whole, so out->messages may exceed message_count. Error events
 * (rkm->err) are counted in out->failed and do not stop the run. Returns 0
 * once message_count messages arrived; -1 with out->error set on setup failure
 * or timeout (the counts are still filled).
 */
int crk_bench_consume(const crk_consume_options *opts, crk_result *out);

/*
 * Delivery latency: produces message_count messages strictly one at a time
 * (the next is sent only after the previous delivery report was served by
 * rd_kafka_poll() on the calling thread), so
 * each figure is the client's own produce -> broker ack -> delivery report
 * path at the configured linger.ms, with no queueing behind other messages.
 * latencies_us[k] is the latency of the k-th successfully delivered message,
 * in microseconds, from just before its produce call to its delivery report
 * callback; min(out->messages, capacity) entries are written. Timed window:
 * the whole loop, after the same metadata warm-up as crk_bench_produce.
 * Returns as crk_bench_produce.
 */
int crk_bench_delivery_latency(const crk_produce_options *opts,
                               double *latencies_us, long long capacity,
                               crk_result *out);

/* The clocks used above (CLOCK_MONOTONIC; getrusage(RUSAGE_SELF)), exported so
 * the Swift side measures with exactly the same ones. */
double crk_monotonic_seconds(void);
void crk_cpu_seconds(double *user_seconds, double *system_seconds);

/* rd_kafka_version_str(), for the report header. */
const char *crk_librdkafka_version(void);

/* The heap allocations (malloc, calloc, realloc, aligned allocations) made so far by the
 * whole process, or -1 when they are not counted (a sanitizer build, or not glibc). See
 * crk_bench_alloc.c. */
long long crk_allocation_count(void);

/* A broker cluster in a child process (rdkafka-bench --serve-broker), so that the
 * benchmark's process holds only the client, as a user's does. See crk_bench_broker.c. */
typedef struct crk_broker {
    int pid;
    FILE *to_child;
    FILE *from_child;
    char bootstrap_servers[1024];
} crk_broker;

/* Starts this executable with `arguments` (NULL-terminated, without argv[0]) and reads
 * the child's first line, "bootstrap <host:port,...>". Returns 0, or -1 with error set. */
int crk_broker_start(const char *const *arguments, crk_broker *broker, char *error, size_t error_size);
/* Asks the child for a topic; waits for its "ok". Returns 0, or -1 with error set. */
int crk_broker_create_topic(crk_broker *broker, const char *topic, int partitions, char *error, size_t error_size);
/* Closes the child's stdin, which ends it, and reaps it (SIGKILL after 5 s). */
void crk_broker_stop(crk_broker *broker);

#ifdef __cplusplus
}
#endif

#endif /* CRDKAFKABENCH_H */
