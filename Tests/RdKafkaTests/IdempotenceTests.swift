import Foundation
import RdKafka
import Testing

@Suite("Producer: idempotence")
struct IdempotenceTests {
    private func configurationError(_ change: (inout ProducerConfiguration) -> Void) -> KafkaError? {
        var configuration = ProducerConfiguration(bootstrapServers: ["localhost:1"])
        // A configuration that passes connects to nothing; its connection errors are expected.
        configuration.onError = { _ in }
        change(&configuration)
        do {
            _ = try KafkaProducer(configuration: configuration)
            return nil
        } catch {
            return error
        }
    }

    @Test("idempotence without acks = all is refused at construction, naming the property")
    func acks() {
        for transactional in [false, true] {
            let error = configurationError {
                $0.acks = .one
                if transactional { $0.transactionalID = "tx" } else { $0.enableIdempotence = true }
            }
            #expect(error?.code == .invalidConfiguration)
            #expect(error?.property == "acks")
            #expect(error?.message.contains("requires acks = .all (got .one)") == true)
            #expect(error?.message.contains(transactional ? "transactional" : "enableIdempotence") == true)
        }
    }

    @Test("idempotence with more than 5 requests in flight is refused")
    func maxInFlight() {
        let error = configurationError {
            $0.enableIdempotence = true
            $0.maxInFlightRequestsPerConnection = 6
        }
        #expect(error?.code == .invalidConfiguration)
        #expect(error?.property == "max.in.flight.requests.per.connection")
        #expect(error?.message.contains("<= 5 (got 6)") == true)
        #expect(configurationError { $0.enableIdempotence = true; $0.maxInFlightRequestsPerConnection = 5 } == nil)
    }

    @Test("idempotence without retries is refused")
    func retries() {
        let error = configurationError {
            $0.transactionalID = "tx"
            $0.retries = 0
        }
        #expect(error?.code == .invalidConfiguration)
        #expect(error?.property == "retries")
        #expect(error?.message.contains("retries > 0 (got 0)") == true)
    }

    @Test("idempotence set through the properties passthrough is validated too")
    func passthrough() {
        let error = configurationError {
            $0.acks = .zero
            $0.properties["enable.idempotence"] = "true"
        }
        #expect(error?.property == "acks")
    }

    @Test("a fatal idempotence error reaches onError and the failed record as fatal, and later sends are refused with it")
    func fatalSequenceError() async throws {
        let cluster = try TestCluster.make()
        let embedded = try cluster.requireEmbedded()
        let topic = try cluster.createTopic("idempotent")
        let errors = Guarded<[KafkaError]>([])
        var configuration = cluster.producerConfiguration()
        configuration.enableIdempotence = true
        configuration.onError = { error in errors.withLock { $0.append(error) } }
        let producer = try KafkaProducer(configuration: configuration, keySerializer: .string, valueSerializer: .string)

        // A healthy first record, so the producer id is assigned and the partition known.
        let first = try await producer.send(ProducerRecord(topic: topic, partition: 0, key: "k", value: "before"))
        #expect(first.offset == 0)

        // The head-of-line request answered with OUT_OF_ORDER_SEQUENCE_NUMBER means the client
        // and broker disagree on the sequence: librdkafka cannot keep its guarantee and fails.
        try embedded.pushRequestErrors(.produce, [.outOfOrderSequenceNumber])
        let failure = await #expect(throws: KafkaError.self) {
            try await producer.send(ProducerRecord(topic: topic, partition: 0, key: "k", value: "lost"))
        }
        #expect(failure?.isFatal == true)
        #expect(failure?.code == .outOfOrderSequenceNumber)

        try await eventually("the fatal error event") { errors.withLock { $0.contains { $0.isFatal } } }
        let reported = errors.withLock { $0.first { $0.isFatal } }
        #expect(reported?.code == .outOfOrderSequenceNumber)

        let refused = await #expect(throws: KafkaError.self) {
            try await producer.send(ProducerRecord(topic: topic, partition: 0, key: "k", value: "after"))
        }
        #expect(refused?.isFatal == true)
        #expect(refused?.code == .outOfOrderSequenceNumber)
        #expect(throws: KafkaError.self) {
            try producer.sendAndForget(ProducerRecord(topic: topic, partition: 0, key: "k", value: "after"))
        }
        await producer.close()

        let records = try RawConsumer.readAll(topic: topic, count: 1, bootstrapServers: cluster.bootstrapServers)
        #expect(records.map { String(decoding: $0.value ?? [], as: UTF8.self) } == ["before"])
    }
}
