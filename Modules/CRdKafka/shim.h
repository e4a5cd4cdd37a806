#ifndef CRDKAFKA_SHIM_H
#define CRDKAFKA_SHIM_H

#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

/* swift-rdkafka needs the event, purge and produceva APIs of librdkafka 2.0. */
#if RD_KAFKA_VERSION < 0x020000ff
#error "swift-rdkafka needs librdkafka 2.0 or newer (Debian: apt-get install librdkafka-dev)"
#endif

#endif
