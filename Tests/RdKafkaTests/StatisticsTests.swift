import Foundation
import Metrics
import Testing

@testable import RdKafka

@Suite("Statistics decoding")
struct StatisticsDecodingTests {
    @Test func decodesProducerStatistics() throws {
        let stats = try Statistics(json: StatisticsFixtures.producer)

        #expect(stats.json == StatisticsFixtures.producer)
        #expect(stats.name == "stats-producer#producer-1")
        #expect(stats.clientID == "stats-producer")
        #expect(stats.type == .producer)
        #expect(stats.timestamp == 674_122_328)
        #expect(stats.time == 1_795_237_374)
        #expect(stats.date == Date(timeIntervalSince1970: 1_795_237_374))
        #expect(stats.age == .microseconds(301_033))
        #expect(stats.replyQueue == 0)
        #expect(stats.messageCount == 3)
        #expect(stats.messageSize == 24)
        #expect(stats.messageMax == 100_000)
        #expect(stats.messageSizeMax == 1_073_741_824)
        #expect(stats.metadataCacheCount == 1)
        #expect(stats.tx == 91)
        #expect(stats.txBytes == 12_557)
        #expect(stats.rx == 88)
        #expect(stats.rxBytes == 5_194)
        #expect(stats.txMessages == 90)
        #expect(stats.txMessageBytes == 1_240)
        #expect(stats.rxMessages == 0)
        #expect(stats.rxMessageBytes == 0)
        #expect(stats.consumerGroup == nil)

        #expect(stats.brokers.map(\.name) == ["127.0.0.1:33641/1"])
        let broker = try #require(stats.broker(named: "127.0.0.1:33641/1"))
        #expect(broker.nodeID == 1)
        #expect(broker.nodeName == "127.0.0.1:33641")
        #expect(broker.source == "configured")
        #expect(broker.state == "UP")
        #expect(broker.isUp)
        #expect(broker.stateAge == .microseconds(287_286))
        #expect(broker.outbufCount == 0)
        #expect(broker.outbufMessageCount == 0)
        #expect(broker.waitResponseCount == 3)
        #expect(broker.waitResponseMessageCount == 3)
        #expect(broker.tx == 91)
        #expect(broker.txBytes == 12_557)
        #expect(broker.txErrors == 0)
        #expect(broker.txRetries == 0)
        #expect(broker.requestTimeouts == 0)
        #expect(broker.rx == 88)
        #expect(broker.rxBytes == 5_194)
        #expect(broker.rxErrors == 0)
        #expect(broker.connects == 1)
        #expect(broker.disconnects == 0)

        // rtt is in microseconds; the mock broker was configured with a 4 ms RTT.
        #expect(broker.rtt.min == 4_138)
        #expect(broker.rtt.max == 10_140)
        #expect(broker.rtt.avg == 6_104)
        #expect(broker.rtt.sum == 183_120)
        #expect(broker.rtt.stddev == 2_754)
        #expect(broker.rtt.p50 == 4_191)
        #expect(broker.rtt.p75 == 10_047)
        #expect(broker.rtt.p90 == 10_111)
        #expect(broker.rtt.p95 == 10_175)
        #expect(broker.rtt.p99 == 10_175)
        #expect(broker.rtt.p99_99 == 10_175)
        #expect(broker.rtt.outOfRange == 0)
        #expect(broker.rtt.hdrSize == 13_424)
        #expect(broker.rtt.count == 30)
        #expect(broker.throttle.count == 0)
        #expect(broker.throttle.avg == 0)
        #expect(broker.throttle.hdrSize == 17_520)
        #expect(broker.internalLatency.avg == 5_139)
        #expect(broker.internalLatency.count == 30)
        #expect(broker.outbufLatency.avg == 11)
        #expect(broker.outbufLatency.p99 == 27)

        #expect(stats.topics.map(\.name) == ["orders"])
        let topic = try #require(stats.topic(named: "orders"))
        #expect(topic.age == .milliseconds(299))
        #expect(topic.metadataAge == .milliseconds(287))
        #expect(topic.batchSize.avg == 82)
        #expect(topic.batchSize.count == 30)
        #expect(topic.batchCount.sum == 30)

        #expect(topic.partitions.map(\.partition) == [0, 1, 2])
        #expect(topic.allPartitions.map(\.partition) == [-1, 0, 1, 2])
        let p1 = try #require(topic.partition(1))
        #expect(p1.broker == 1)
        #expect(p1.leader == 1)
        #expect(!p1.desired)
        #expect(!p1.unknown)
        #expect(p1.messageQueueCount == 0)
        #expect(p1.transmitQueueCount == 0)
        #expect(p1.fetchState == "none")
        #expect(p1.committedOffset == -1001)
        #expect(p1.highOffset == -1001)
        #expect(p1.consumerLag == -1)
        #expect(p1.txMessages == 30)
        #expect(p1.txBytes == 414)
        #expect(p1.messages == 30)
        #expect(p1.messagesInFlight == 1)
        #expect(topic.partition(0)?.txBytes == 412)

        let eos = try #require(stats.eos)
        #expect(eos.idempotentState == "Assigned")
        #expect(eos.idempotentStateAge == .milliseconds(283))
        #expect(eos.transactionState == "Init")
        #expect(eos.transactionStateAge == .milliseconds(674_122))
        #expect(!eos.transactionMayEnqueue)
        #expect(eos.producerID == 368_918_000)
        #expect(eos.producerEpoch == 0)
        #expect(eos.epochCount == 1)
    }

    @Test func decodesConsumerStatistics() throws {
        let stats = try Statistics(json: StatisticsFixtures.consumer)

        #expect(stats.name == "stats-consumer#consumer-2")
        #expect(stats.clientID == "stats-consumer")
        #expect(stats.type == .consumer)
        #expect(stats.timestamp == 677_776_309)
        #expect(stats.age == .microseconds(3_603_003))
        #expect(stats.messageMax == 0)
        #expect(stats.tx == 49)
        #expect(stats.txBytes == 5_958)
        #expect(stats.rx == 48)
        #expect(stats.rxBytes == 13_144)
        #expect(stats.txMessages == 0)
        #expect(stats.rxMessages == 90)
        #expect(stats.rxMessageBytes == 1_240)
        #expect(stats.eos == nil)

        #expect(stats.brokers.map(\.name) == ["127.0.0.1:33641/1", "GroupCoordinator"])
        let coordinator = try #require(stats.broker(named: "GroupCoordinator"))
        #expect(coordinator.source == "logical")
        #expect(coordinator.nodeID == 1)
        #expect(coordinator.tx == 9)
        #expect(coordinator.rxBytes == 669)
        #expect(coordinator.rtt.count == 0)
        #expect(coordinator.rtt.hdrSize == 16_496)
        let broker = try #require(stats.broker(named: "127.0.0.1:33641/1"))
        #expect(broker.waitResponseCount == 1)
        #expect(broker.stateAge == .microseconds(3_589_539))

        let topic = try #require(stats.topic(named: "orders"))
        #expect(topic.age == .milliseconds(558))
        #expect(topic.metadataAge == .milliseconds(562))
        let partitions = topic.partitions
        #expect(partitions.map(\.partition) == [0, 1, 2])
        #expect(partitions.allSatisfy { $0.desired && $0.fetchState == "active" })
        #expect(partitions.map(\.queryOffset) == [-2, -2, -2])
        #expect(partitions.map(\.nextOffset) == [30, 30, 30])
        #expect(partitions.map(\.appOffset) == [30, 30, 30])
        #expect(partitions.map(\.storedOffset) == [29, 28, 30])
        #expect(partitions.map(\.committedOffset) == [25, 28, 30])
        #expect(partitions.map(\.eofOffset) == [-1001, -1001, 30])
        #expect(partitions.map(\.lowOffset) == [0, 0, 0])
        #expect(partitions.map(\.highOffset) == [30, 30, 30])
        #expect(partitions.map(\.lastStableOffset) == [30, 30, 30])
        #expect(partitions.map(\.consumerLag) == [5, 2, 0])
        #expect(partitions.map(\.consumerLagStored) == [1, 2, 0])
        #expect(partitions.map(\.fetchQueueCount) == [0, 0, 0])
        #expect(partitions.map(\.fetchQueueSize) == [0, 0, 0])
        #expect(partitions.map(\.rxMessages) == [30, 30, 30])
        #expect(partitions.map(\.rxBytes) == [412, 414, 414])
        #expect(partitions.map(\.txMessages) == [0, 0, 0])

        let ua = try #require(topic.unassignedPartition)
        #expect(ua.isUnassigned)
        #expect(ua.partition == -1)
        #expect(ua.leader == -1)
        #expect(ua.consumerLag == -1)

        let group = try #require(stats.consumerGroup)
        #expect(group.state == "up")
        #expect(group.stateAge == .milliseconds(3_576))
        #expect(group.joinState == "steady")
        #expect(group.rebalanceAge == .milliseconds(558))
        #expect(group.rebalanceCount == 1)
        #expect(group.rebalanceReason == "Metadata for subscribed topic(s) has changed")
        #expect(group.assignmentSize == 3)
    }

    /// Cross-checks every modelled numeric field of every broker and partition in all fixtures
    /// against an independent parse of the same JSON.
    @Test(arguments: ["producerEarlier", "producer", "consumer"])
    func decodedValuesMatchRawJSON(fixtureName: String) throws {
        let fixture = try #require(
            ["producerEarlier": StatisticsFixtures.producerEarlier, "producer": StatisticsFixtures.producer,
             "consumer": StatisticsFixtures.consumer][fixtureName]
        )
        let stats = try Statistics(json: fixture)
        let raw = try #require(JSONSerialization.jsonObject(with: Data(fixture.utf8)) as? [String: Any])

        func int(_ object: [String: Any], _ key: String) -> Int64? {
            (object[key] as? NSNumber)?.int64Value
        }

        let topLevel: [(String, Int64)] = [
            ("ts", stats.timestamp), ("time", stats.time), ("replyq", stats.replyQueue),
            ("msg_cnt", stats.messageCount), ("msg_size", stats.messageSize), ("msg_max", stats.messageMax),
            ("msg_size_max", stats.messageSizeMax), ("metadata_cache_cnt", stats.metadataCacheCount),
            ("tx", stats.tx), ("tx_bytes", stats.txBytes), ("rx", stats.rx), ("rx_bytes", stats.rxBytes),
            ("txmsgs", stats.txMessages), ("txmsg_bytes", stats.txMessageBytes),
            ("rxmsgs", stats.rxMessages), ("rxmsg_bytes", stats.rxMessageBytes),
        ]
        for (key, value) in topLevel {
            #expect(int(raw, key) == value, "\(key)")
        }

        let rawBrokers = try #require(raw["brokers"] as? [String: [String: Any]])
        #expect(stats.brokers.count == rawBrokers.count)
        for broker in stats.brokers {
            let rb = try #require(rawBrokers[broker.name])
            let fields: [(String, Int64)] = [
                ("nodeid", Int64(broker.nodeID)), ("outbuf_cnt", broker.outbufCount),
                ("outbuf_msg_cnt", broker.outbufMessageCount), ("waitresp_cnt", broker.waitResponseCount),
                ("waitresp_msg_cnt", broker.waitResponseMessageCount), ("tx", broker.tx),
                ("txbytes", broker.txBytes), ("txerrs", broker.txErrors), ("txretries", broker.txRetries),
                ("req_timeouts", broker.requestTimeouts), ("rx", broker.rx), ("rxbytes", broker.rxBytes),
                ("rxerrs", broker.rxErrors), ("connects", broker.connects), ("disconnects", broker.disconnects),
            ]
            for (key, value) in fields {
                #expect(int(rb, key) == value, "\(broker.name).\(key)")
            }
            #expect(rb["state"] as? String == broker.state)
            #expect(rb["nodename"] as? String == broker.nodeName)
            let windows: [(String, Statistics.Window)] = [
                ("rtt", broker.rtt), ("throttle", broker.throttle),
                ("int_latency", broker.internalLatency), ("outbuf_latency", broker.outbufLatency),
            ]
            for (key, window) in windows {
                guard let rw = rb[key] as? [String: Any] else {
                    #expect(window == .empty, "\(broker.name).\(key) missing but decoded non-empty")
                    continue
                }
                let values: [(String, Int64)] = [
                    ("min", window.min), ("max", window.max), ("avg", window.avg), ("sum", window.sum),
                    ("stddev", window.stddev), ("p50", window.p50), ("p75", window.p75), ("p90", window.p90),
                    ("p95", window.p95), ("p99", window.p99), ("p99_99", window.p99_99),
                    ("outofrange", window.outOfRange), ("hdrsize", window.hdrSize), ("cnt", window.count),
                ]
                for (field, value) in values {
                    #expect(int(rw, field) == value, "\(broker.name).\(key).\(field)")
                }
            }
        }

        let rawTopics = try #require(raw["topics"] as? [String: [String: Any]])
        #expect(stats.topics.count == rawTopics.count)
        for topic in stats.topics {
            let rawPartitions = try #require(rawTopics[topic.name]?["partitions"] as? [String: [String: Any]])
            #expect(topic.allPartitions.count == rawPartitions.count)
            for partition in topic.allPartitions {
                let rp = try #require(rawPartitions[String(partition.partition)])
                let fields: [(String, Int64)] = [
                    ("partition", Int64(partition.partition)), ("broker", Int64(partition.broker)),
                    ("leader", Int64(partition.leader)), ("msgq_cnt", partition.messageQueueCount),
                    ("msgq_bytes", partition.messageQueueBytes), ("xmit_msgq_cnt", partition.transmitQueueCount),
                    ("xmit_msgq_bytes", partition.transmitQueueBytes), ("fetchq_cnt", partition.fetchQueueCount),
                    ("fetchq_size", partition.fetchQueueSize), ("query_offset", partition.queryOffset),
                    ("next_offset", partition.nextOffset), ("app_offset", partition.appOffset),
                    ("stored_offset", partition.storedOffset), ("committed_offset", partition.committedOffset),
                    ("eof_offset", partition.eofOffset), ("lo_offset", partition.lowOffset),
                    ("hi_offset", partition.highOffset), ("ls_offset", partition.lastStableOffset),
                    ("consumer_lag", partition.consumerLag), ("consumer_lag_stored", partition.consumerLagStored),
                    ("txmsgs", partition.txMessages), ("txbytes", partition.txBytes),
                    ("rxmsgs", partition.rxMessages), ("rxbytes", partition.rxBytes),
                    ("msgs", partition.messages), ("msgs_inflight", partition.messagesInFlight),
                ]
                for (key, value) in fields {
                    #expect(int(rp, key) == value, "\(topic.name)[\(partition.partition)].\(key)")
                }
                #expect(rp["fetch_state"] as? String == partition.fetchState)
                #expect(rp["desired"] as? Bool == partition.desired)
            }
        }
    }

    @Test func decodesFromBytesAndKeepsRawJSON() throws {
        let fromString = try Statistics(json: StatisticsFixtures.consumer)
        let fromBytes = try Statistics(jsonBytes: Array(StatisticsFixtures.consumer.utf8))
        let fromData = try Statistics(jsonBytes: Data(StatisticsFixtures.consumer.utf8))
        #expect(fromBytes == fromString)
        #expect(fromData == fromString)
        #expect(fromBytes.json == StatisticsFixtures.consumer)
    }

    @Test func decodingIsTolerantOfMissingUnknownAndMistypedFields() throws {
        let empty = try Statistics(json: "{}")
        #expect(empty.json == "{}")
        #expect(empty.name == "")
        #expect(empty.type == .other(""))
        #expect(empty.age == .zero)
        #expect(empty.brokers.isEmpty)
        #expect(empty.topics.isEmpty)
        #expect(empty.consumerGroup == nil)
        #expect(empty.eos == nil)

        let odd = try Statistics(
            json: #"""
                {"type":"share-consumer","msg_cnt":"lots","tx":7,"new_top_level":{"x":1},
                 "brokers":{"b:9092/2":{"nodeid":2,"rtt":{"avg":1500,"cnt":2,"p999":9}},"junk":5},
                 "topics":{"t":{"partitions":{"4":{"consumer_lag":12,"future_field":true},"-1":{}}}}}
                """#
        )
        #expect(odd.type == .other("share-consumer"))
        #expect(odd.messageCount == 0)
        #expect(odd.tx == 7)
        // Names fall back to the object keys; a non-object member is skipped.
        #expect(odd.brokers.map(\.name) == ["b:9092/2"])
        let broker = try #require(odd.brokers.first)
        #expect(broker.nodeID == 2)
        #expect(broker.rtt.avg == 1_500)
        #expect(broker.rtt.count == 2)
        #expect(broker.rtt.p99 == 0)
        #expect(broker.throttle == .empty)
        let topic = try #require(odd.topic(named: "t"))
        #expect(topic.partitions.map(\.partition) == [4])
        #expect(topic.unassignedPartition != nil)
        let partition = try #require(topic.partition(4))
        #expect(partition.consumerLag == 12)
        #expect(partition.consumerLagStored == -1)
        #expect(partition.committedOffset == -1001)
        #expect(partition.leader == -1)
    }

    @Test func rejectsDocumentsThatAreNotObjects() {
        #expect(throws: (any Error).self) { try Statistics(json: "[]") }
        #expect(throws: (any Error).self) { try Statistics(json: "not json") }
        #expect(throws: (any Error).self) { try Statistics(jsonBytes: [UInt8]()) }
    }
}

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

// MARK: - In-memory metrics backend

/// A minimal swift-metrics backend recording the latest gauge values and counter increments,
/// keyed by label and dimensions. Like real backends, asking twice for the same series returns the
/// same handler.
final class InMemoryMetrics: MetricsFactory {
    private struct Key: Hashable {
        var label: String
        var dimensions: [String: String]
    }

    private struct Store {
        var counters: [Key: CounterBox] = [:]
        var recorders: [Key: RecorderBox] = [:]
        var dimensionOrder: [String: [String]] = [:]
        var handlesCreated = 0
        var destroyedCount = 0
    }

    private let store = Guarded(Store())

    final class CounterBox: CounterHandler {
        let increments = Guarded<[Int64]>([])
        func increment(by amount: Int64) { increments.withLock { $0.append(amount) } }
        func reset() { increments.withLock { $0 = [] } }
    }

    final class RecorderBox: RecorderHandler {
        let last = Guarded<Double?>(nil)
        func record(_ value: Int64) { last.withLock { $0 = Double(value) } }
        func record(_ value: Double) { last.withLock { $0 = value } }
    }

    final class TimerBox: TimerHandler {
        func recordNanoseconds(_ duration: Int64) {}
    }

    private func key(_ label: String, _ dimensions: [(String, String)]) -> Key {
        Key(label: label, dimensions: Dictionary(dimensions, uniquingKeysWith: { $1 }))
    }

    func makeCounter(label: String, dimensions: [(String, String)]) -> any CounterHandler {
        store.withLock { store in
            store.dimensionOrder[label] = dimensions.map(\.0)
            let key = key(label, dimensions)
            if let existing = store.counters[key] { return existing }
            store.handlesCreated += 1
            let box = CounterBox()
            store.counters[key] = box
            return box
        }
    }

    func makeRecorder(label: String, dimensions: [(String, String)], aggregate: Bool) -> any RecorderHandler {
        store.withLock { store in
            store.dimensionOrder[label] = dimensions.map(\.0)
            let key = key(label, dimensions)
            if let existing = store.recorders[key] { return existing }
            store.handlesCreated += 1
            let box = RecorderBox()
            store.recorders[key] = box
            return box
        }
    }

    func makeTimer(label: String, dimensions: [(String, String)]) -> any TimerHandler {
        TimerBox()
    }

    func destroyCounter(_ handler: any CounterHandler) {
        store.withLock { store in
            if let key = store.counters.first(where: { $0.value === handler })?.key {
                store.counters[key] = nil
                store.destroyedCount += 1
            }
        }
    }

    func destroyRecorder(_ handler: any RecorderHandler) {
        store.withLock { store in
            if let key = store.recorders.first(where: { $0.value === handler })?.key {
                store.recorders[key] = nil
                store.destroyedCount += 1
            }
        }
    }

    func destroyTimer(_ handler: any TimerHandler) {}

    /// The latest value of a live gauge, or `nil` if there is no such series.
    func gauge(_ label: String, _ dimensions: [String: String]) -> Double? {
        store.withLock { $0.recorders[Key(label: label, dimensions: dimensions)] }?.last.withLock { $0 }
    }

    /// The sum of a live counter's increments, or `nil` if there is no such series.
    func counter(_ label: String, _ dimensions: [String: String]) -> Int64? {
        counterIncrements(label, dimensions)?.reduce(0, +)
    }

    func counterIncrements(_ label: String, _ dimensions: [String: String]) -> [Int64]? {
        store.withLock { $0.counters[Key(label: label, dimensions: dimensions)] }?.increments.withLock { $0 }
    }

    func hasSeries(named label: String) -> Bool {
        store.withLock { store in
            store.counters.keys.contains { $0.label == label } || store.recorders.keys.contains { $0.label == label }
        }
    }

    func hasSeries(where predicate: ([String: String]) -> Bool) -> Bool {
        store.withLock { store in
            store.counters.keys.contains { predicate($0.dimensions) }
                || store.recorders.keys.contains { predicate($0.dimensions) }
        }
    }

    func dimensionNames(_ label: String) -> [String]? {
        store.withLock { $0.dimensionOrder[label] }
    }

    var handlesCreated: Int { store.withLock { $0.handlesCreated } }
    var destroyedCount: Int { store.withLock { $0.destroyedCount } }
}
