import Foundation
import RdKafka
import Testing

/// Producer settings proven by what they do, not only by the properties they set.
@Suite("Producer: settings with an observable effect")
struct ProducerSettingsTests {
    @Test("acks=0: records are sent without acknowledgement and all arrive")
    func acksZero() async throws {
        let (cluster, topic, producer) = try TestCluster.makeWithProducer(topicPrefix: "acks-zero", partitions: 2, acks: .zero)
        var offsets: [Int64] = []
        for index in 0..<500 {
            let metadata = try await producer.send(ProducerRecord(topic: topic, partition: Int32(index % 2), key: "k\(index)", value: "v\(index)"))
            offsets.append(metadata.offset)
        }
        await producer.close()
        // Without an acknowledgement the broker tells no offset.
        #expect(offsets.allSatisfy { $0 < 0 }, "acks=0 reports no offset: \(Set(offsets))")
        let records = try RawConsumer.readAll(topic: topic, count: 500, bootstrapServers: cluster.bootstrapServers)
        #expect(Set(records.map { String(decoding: $0.value ?? [], as: UTF8.self) }) == Set((0..<500).map { "v\($0)" }))
    }

    @Test(
        "every compression codec round-trips records, keys and headers",
        arguments: [ProducerConfiguration.Compression.uncompressed, .gzip, .snappy, .lz4, .zstd]
    )
    func compressionRoundTrip(codec: ProducerConfiguration.Compression) async throws {
        let (cluster, topic, producer) = try TestCluster.makeWithProducer(topicPrefix: "codec-\(codec.rawValue)") { configuration in
            configuration.compression = codec
            configuration.linger = .milliseconds(20)
        }
        // Repetitive values, so every codec has something to compress.
        let values = (0..<300).map { "order \($0): " + String(repeating: "widget ", count: 20 + $0 % 7) }
        var pending: [PendingDelivery] = []
        for (index, value) in values.enumerated() {
            pending.append(try await producer.enqueue(ProducerRecord(
                topic: topic, key: "k\(index)", value: value, headers: [RecordHeader(key: "n", value: "\(index)")]
            )))
        }
        for delivery in pending { _ = try await delivery.metadata }
        await producer.close()
        let records = try RawConsumer.readAll(topic: topic, count: values.count, bootstrapServers: cluster.bootstrapServers)
        #expect(records.map { String(decoding: $0.value ?? [], as: UTF8.self) } == values)
        #expect(records.map { String(decoding: $0.key ?? [], as: UTF8.self) } == values.indices.map { "k\($0)" })
        #expect(records.map(\.headers) == values.indices.map { [RecordHeader(key: "n", value: "\($0)")] })
    }

    @Test(
        "send order through retried errors: idempotent with 5 in flight, or without idempotence with max.in.flight 1",
        .enabled(if: !TestCluster.isReal, "needs the embedded cluster's fault injection"),
        arguments: [true, false]
    )
    func orderUnderRetries(idempotent: Bool) async throws {
        let cluster = try TestCluster.make()
        let embedded = try cluster.requireEmbedded()
        let topic = try cluster.createTopic("in-flight-one", partitions: 1)
        var configuration = cluster.producerConfiguration(acks: .all)
        configuration.enableIdempotence = idempotent
        configuration.maxInFlightRequestsPerConnection = idempotent ? 5 : 1
        configuration.retries = 1_000
        configuration.retryBackoff = .milliseconds(10)
        configuration.batchRecordCount = 50
        let producer = try KafkaProducer(configuration: configuration, keySerializer: .int32, valueSerializer: .int32)
        try await producer.send(ProducerRecord(topic: topic, partition: 0, key: Int32(0), value: -1))
        var pending: [PendingDelivery] = []
        for index in 0..<2_000 {
            if index % 400 == 0 {
                // Retriable answers to the next Produce requests: librdkafka resends those batches.
                try embedded.pushRequestErrors(.produce, [.notEnoughReplicas, .requestTimedOut, .notEnoughReplicasAfterAppend])
            }
            pending.append(try await producer.enqueue(ProducerRecord(topic: topic, partition: 0, key: Int32(0), value: Int32(index))))
        }
        for delivery in pending { _ = try await delivery.metadata }
        await producer.close()
        let stored = try await readAll(cluster: cluster, topic: topic, partitions: 1)
        let values = (stored[0] ?? []).filter { $0 >= 0 }
        let outOfOrder = zip(values, values.dropFirst()).filter { $0.0 >= $0.1 }
        #expect(values.count == 2_000 && Set(values).count == 2_000, "stored once each: \(values.count) stored")
        // Without idempotence librdkafka 2.0.2 resends the first refused batch after the
        // batch behind it (seen in every run: 50...99 stored before 0...49), although
        // max.in.flight 1 is meant to keep order (librdkafka's INTRODUCTION.md,
        // "Reordering"). The library does not reorder records; with idempotence order holds.
        withKnownIssue("librdkafka 2.0.2 can store a retried batch after the next one despite max.in.flight 1", isIntermittent: true) {
            #expect(outOfOrder.isEmpty, "stored in send order; out of order at \(outOfOrder.prefix(5))")
        } when: {
            !idempotent
        }
    }

    @Test(
        "request timeout: a broker slower than it fails the send typed, within the delivery timeout",
        .enabled(if: !TestCluster.isReal, "needs the embedded cluster's fault injection")
    )
    func requestTimeout() async throws {
        let (cluster, topic, producer) = try TestCluster.makeWithProducer(topicPrefix: "request-timeout") { configuration in
            configuration.requestTimeout = .milliseconds(500)
            configuration.deliveryTimeout = .seconds(2)
            configuration.logger.logLevel = .critical
        }
        let embedded = try cluster.requireEmbedded()
        try await producer.send(ProducerRecord(topic: topic, key: "k", value: "fast"))
        try embedded.setRoundTripTime(.seconds(30), broker: 1)
        let started = ContinuousClock.now
        let error = await #expect(throws: KafkaError.self) {
            try await producer.send(ProducerRecord(topic: topic, key: "k", value: "slow"))
        }
        #expect(error?.code == .messageTimedOut || error?.code == .requestTimedOut, "\(String(describing: error))")
        // Long before the broker's 30 s answer: the request timed out, then the delivery
        // (2 s), with room for a loaded machine.
        #expect(ContinuousClock.now - started < .seconds(20))
        try embedded.setRoundTripTime(.zero, broker: 1)
        await producer.close(timeout: .seconds(5))
    }

    @Test(
        "retry backoff spaces the retries: three refusals take at least three backoffs",
        .enabled(if: !TestCluster.isReal, "needs the embedded cluster's fault injection")
    )
    func retryBackoff() async throws {
        let (cluster, topic, producer) = try TestCluster.makeWithProducer(topicPrefix: "retry-backoff") { configuration in
            configuration.retryBackoff = .milliseconds(300)
            configuration.logger.logLevel = .critical
        }
        let embedded = try cluster.requireEmbedded()
        try await producer.send(ProducerRecord(topic: topic, key: "k", value: "warm-up"))
        try embedded.pushRequestErrors(.produce, [.notEnoughReplicas, .notEnoughReplicas, .notEnoughReplicas])
        let started = ContinuousClock.now
        let metadata = try await producer.send(ProducerRecord(topic: topic, key: "k", value: "retried"))
        let took = ContinuousClock.now - started
        #expect(metadata.offset == 1)
        #expect(took >= .milliseconds(800), "three retries, each after a 300 ms backoff, took \(took)")
        await producer.close()
    }
}
