import Foundation
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
