import Foundation
import Metrics
import Testing

@testable import RdKafka

@Suite("Statistics metrics export")
struct StatisticsMetricsExporterTests {
    @Test func exportsProducerStatistics() throws {
        let metrics = InMemoryMetrics()
        let exporter = StatisticsMetricsExporter(factory: metrics)
        exporter.record(try Statistics(json: StatisticsFixtures.producerEarlier))
        exporter.record(try Statistics(json: StatisticsFixtures.producer))

        let client = ["client_id": "stats-producer"]
        #expect(metrics.gauge("rdkafka_queue_messages", client) == 3)
        #expect(metrics.gauge("rdkafka_queue_bytes", client) == 24)
        #expect(metrics.gauge("rdkafka_queue_max_messages", client) == 100_000)
        #expect(metrics.gauge("rdkafka_reply_queue_ops", client) == 0)

        // Counters are fed with the difference between consecutive cumulative totals.
        #expect(metrics.counter("rdkafka_tx_messages_total", client) == 90)
        #expect(metrics.counterIncrements("rdkafka_tx_messages_total", client) == [60, 30])
        #expect(metrics.counter("rdkafka_tx_bytes_total", client) == 12_557)
        #expect(metrics.counterIncrements("rdkafka_tx_bytes_total", client) == [8_297, 12_557 - 8_297])
        #expect(metrics.counter("rdkafka_rx_bytes_total", client) == 5_194)
        #expect(metrics.counter("rdkafka_tx_requests_total", client) == 91)
        #expect(metrics.counter("rdkafka_rx_responses_total", client) == 88)
        #expect(metrics.counter("rdkafka_tx_message_bytes_total", client) == 1_240)
        #expect(metrics.counter("rdkafka_rx_messages_total", client) == 0)
        #expect(metrics.counterIncrements("rdkafka_rx_messages_total", client) == [])

        let broker = client.merging(["broker": "127.0.0.1:33641/1"]) { $1 }
        #expect(metrics.gauge("rdkafka_broker_rtt_avg_seconds", broker) == 0.006104)
        #expect(metrics.gauge("rdkafka_broker_rtt_p99_seconds", broker) == 0.010175)
        #expect(metrics.gauge("rdkafka_broker_rtt_max_seconds", broker) == 0.010140)
        #expect(metrics.gauge("rdkafka_broker_up", broker) == 1)
        #expect(metrics.gauge("rdkafka_broker_outbuf_count", broker) == 0)
        #expect(metrics.gauge("rdkafka_broker_waitresp_count", broker) == 3)
        #expect(metrics.counter("rdkafka_broker_tx_requests_total", broker) == 91)
        #expect(metrics.counter("rdkafka_broker_connects_total", broker) == 1)
        // No throttle samples in either window: nothing is reported rather than a false 0.
        #expect(metrics.gauge("rdkafka_broker_throttle_avg_seconds", broker) == nil)

        for (partition, txBytes) in [("0", 412 as Int64), ("1", 414), ("2", 414)] {
            let dims = client.merging(["topic": "orders", "partition": partition]) { $1 }
            #expect(metrics.gauge("rdkafka_partition_queue_messages", dims) == 0)
            #expect(metrics.gauge("rdkafka_partition_transmit_queue_messages", dims) == 0)
            #expect(metrics.counter("rdkafka_partition_tx_messages_total", dims) == 30)
            #expect(metrics.counter("rdkafka_partition_tx_bytes_total", dims) == txBytes)
        }
        #expect(!metrics.hasSeries(where: { $0["partition"] == "-1" }))
        #expect(!metrics.hasSeries(named: "rdkafka_consumer_lag"))
        #expect(!metrics.hasSeries(named: "rdkafka_partition_fetch_queue_messages"))
        #expect(!metrics.hasSeries(named: "rdkafka_consumer_group_rebalances_total"))
    }

    @Test func exportsConsumerStatistics() throws {
        let metrics = InMemoryMetrics()
        let exporter = StatisticsMetricsExporter(factory: metrics)
        exporter.record(try Statistics(json: StatisticsFixtures.consumer))

        let client = ["client_id": "stats-consumer"]
        for (partition, lag, lagStored) in [("0", 5.0, 1.0), ("1", 2.0, 2.0), ("2", 0.0, 0.0)] {
            let dims = client.merging(["topic": "orders", "partition": partition]) { $1 }
            #expect(metrics.gauge("rdkafka_consumer_lag", dims) == lag)
            #expect(metrics.gauge("rdkafka_consumer_lag_stored", dims) == lagStored)
            #expect(metrics.gauge("rdkafka_partition_fetch_queue_messages", dims) == 0)
            #expect(metrics.counter("rdkafka_partition_rx_messages_total", dims) == 30)
        }
        #expect(metrics.counter("rdkafka_rx_messages_total", client) == 90)
        #expect(metrics.counter("rdkafka_rx_message_bytes_total", client) == 1_240)
        #expect(metrics.counter("rdkafka_consumer_group_rebalances_total", client) == 1)
        #expect(metrics.gauge("rdkafka_consumer_group_assignment_partitions", client) == 3)

        let coordinator = client.merging(["broker": "GroupCoordinator"]) { $1 }
        #expect(metrics.gauge("rdkafka_broker_up", coordinator) == 1)
        #expect(metrics.counter("rdkafka_broker_tx_requests_total", coordinator) == 9)
        #expect(metrics.gauge("rdkafka_broker_rtt_avg_seconds", coordinator) == nil)
        #expect(!metrics.hasSeries(where: { $0["partition"] == "-1" }))
        #expect(!metrics.hasSeries(named: "rdkafka_partition_queue_messages"))
    }

    @Test func cachesHandlesAcrossSnapshots() throws {
        let metrics = InMemoryMetrics()
        let exporter = StatisticsMetricsExporter(factory: metrics)
        exporter.record(try Statistics(json: StatisticsFixtures.producerEarlier))
        let created = metrics.handlesCreated
        #expect(created > 0)
        exporter.record(try Statistics(json: StatisticsFixtures.producer))
        exporter.record(try Statistics(json: StatisticsFixtures.producer))
        #expect(metrics.handlesCreated == created)
        #expect(metrics.destroyedCount == 0)
        // Recording the same totals again adds nothing.
        #expect(metrics.counter("rdkafka_tx_messages_total", ["client_id": "stats-producer"]) == 90)
    }

    @Test func destroysGaugesThatDisappear() throws {
        let metrics = InMemoryMetrics()
        let exporter = StatisticsMetricsExporter(factory: metrics)
        exporter.record(try Statistics(json: StatisticsFixtures.consumer))

        // Partition 2 vanishes and partition 1's committed lag becomes unknown.
        var raw = try #require(JSONSerialization.jsonObject(with: Data(StatisticsFixtures.consumer.utf8)) as? [String: Any])
        var topics = try #require(raw["topics"] as? [String: Any])
        var orders = try #require(topics["orders"] as? [String: Any])
        var partitions = try #require(orders["partitions"] as? [String: Any])
        var p1 = try #require(partitions["1"] as? [String: Any])
        p1["consumer_lag"] = -1
        partitions["1"] = p1
        partitions["2"] = nil
        orders["partitions"] = partitions
        topics["orders"] = orders
        raw["topics"] = topics
        let modified = String(decoding: try JSONSerialization.data(withJSONObject: raw), as: UTF8.self)
        exporter.record(try Statistics(json: modified))

        func dims(_ partition: String) -> [String: String] {
            ["client_id": "stats-consumer", "topic": "orders", "partition": partition]
        }
        #expect(metrics.gauge("rdkafka_consumer_lag", dims("0")) == 5)
        #expect(metrics.gauge("rdkafka_consumer_lag", dims("1")) == nil)
        #expect(metrics.gauge("rdkafka_consumer_lag_stored", dims("1")) == 2)
        #expect(metrics.gauge("rdkafka_consumer_lag", dims("2")) == nil)
        #expect(metrics.gauge("rdkafka_partition_fetch_queue_messages", dims("2")) == nil)
        #expect(metrics.destroyedCount == 5)
        // Counters are cumulative and stay.
        #expect(metrics.counter("rdkafka_partition_rx_messages_total", dims("2")) == 30)

        exporter.destroyMetrics()
        #expect(!metrics.hasSeries(where: { _ in true }))
    }

    @Test func appliesNamePrefixAndExtraDimensions() throws {
        let metrics = InMemoryMetrics()
        let exporter = StatisticsMetricsExporter(
            namePrefix: "kafka",
            dimensions: [("service", "billing")],
            factory: metrics
        )
        exporter.record(try Statistics(json: StatisticsFixtures.consumer))
        let dims = ["client_id": "stats-consumer", "topic": "orders", "partition": "0", "service": "billing"]
        #expect(metrics.gauge("kafka_consumer_lag", dims) == 5)
        #expect(metrics.dimensionNames("kafka_consumer_lag") == ["client_id", "topic", "partition", "service"])
        #expect(!metrics.hasSeries(where: { $0["service"] != "billing" }))
        #expect(!metrics.hasSeries(named: "rdkafka_consumer_lag"))

        let unprefixed = InMemoryMetrics()
        StatisticsMetricsExporter(namePrefix: "", factory: unprefixed)
            .record(try Statistics(json: StatisticsFixtures.consumer))
        #expect(unprefixed.hasSeries(named: "consumer_lag"))
    }
}
