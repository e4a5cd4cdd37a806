#ifndef CRDKAFKA_SHIMS_H
#define CRDKAFKA_SHIMS_H

#include <stdint.h>
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

/* Swift cannot call C variadic functions; these fixed-arity wrappers stand in for them. */

/* rd_kafka_mock_broker_push_request_error_rtts with a single (error, rtt) pair. */
rd_kafka_resp_err_t crk_mock_broker_push_request_error_rtt(rd_kafka_mock_cluster_t *mcluster,
                                                           int32_t broker_id,
                                                           int16_t api_key,
                                                           rd_kafka_resp_err_t err,
                                                           int rtt_ms);

#endif
