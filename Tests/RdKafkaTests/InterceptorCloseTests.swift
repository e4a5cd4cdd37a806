import Foundation
import RdKafka
import Testing

/// What an interceptor was told, in order, across the clients it is given to.
private final class Journal: Sendable {
    private let events = Guarded<[String]>([])
    func note(_ event: String) { events.withLock { $0.append(event) } }
    var all: [String] { events.withLock { $0 } }
    func count(of event: String) -> Int { all.filter { $0 == event }.count }
}

private struct JournalingProducerInterceptor: ProducerInterceptor {
    typealias Key = String
    typealias Value = String
    let journal: Journal
    func onAcknowledgement(_ result: Result<RecordMetadata, KafkaError>) throws { journal.note("ack") }
    func close() throws { journal.note("close") }
}

private struct JournalingConsumerInterceptor: ConsumerInterceptor {
    struct Broken: Error {}
    let journal: Journal
    let failsToClose: Bool
    func onConsume(_ records: [ConsumerRecord<String, String>]) throws -> [ConsumerRecord<String, String>] {
        journal.note("consume")
        return records
    }

    func close() throws {
        journal.note("close")
        if failsToClose { throw Broken() }
    }
}

@Suite("Interceptors: close() is called once when the client closes")
struct InterceptorCloseTests {
    @Test("a producer's interceptors are closed once, after the last acknowledgement; closing again or releasing does not repeat it")
    func producerClose() async throws {
        let cluster = try TestCluster.make()
        let topic = try cluster.createTopic("intercept-close", partitions: 1)
        let journal = Journal()
        var producer: KafkaProducer<String, String>? = try KafkaProducer(
            configuration: cluster.producerConfiguration(),
            keySerializer: .string,
            valueSerializer: .string,
            interceptors: [JournalingProducerInterceptor(journal: journal), JournalingProducerInterceptor(journal: journal)]
        )
        for index in 0..<5 { try producer?.sendAndForget(ProducerRecord(topic: topic, key: "k", value: "v\(index)")) }
        #expect(journal.count(of: "close") == 0)
        await producer?.close()
        // Each of the two interceptors: five acknowledgements, then one close.
        #expect(journal.all == Array(repeating: "ack", count: 10) + ["close", "close"])
        await producer?.close()
        producer = nil
        #expect(journal.count(of: "close") == 2)
        #expect(try RawConsumer.readAll(topic: topic, count: 5, bootstrapServers: cluster.bootstrapServers).count == 5)

        // A producer released without close closes its interceptors as it goes.
        let released = Journal()
        do {
            let unclosed = try KafkaProducer(
                configuration: cluster.producerConfiguration(),
                keySerializer: .string,
                valueSerializer: .string,
                interceptors: [JournalingProducerInterceptor(journal: released)]
            )
            try await unclosed.send(ProducerRecord(topic: topic, key: "k", value: "unclosed"))
        }
        try await eventually(timeout: .seconds(10), "the released producer's interceptor closed") { released.count(of: "close") == 1 }
        #expect(released.all == ["ack", "close"])
    }

    @Test("a consumer's interceptors are closed once, when close has left the group; one that throws does not stop the others")
    func consumerClose() async throws {
        let (cluster, topic) = try await TestCluster.makeWithRecords(5)
        let journal = Journal()
        let consumer = try KafkaConsumer(
            configuration: cluster.consumerConfiguration(),
            keyDeserializer: .string,
            valueDeserializer: .string,
            interceptors: [
                JournalingConsumerInterceptor(journal: journal, failsToClose: true),
                JournalingConsumerInterceptor(journal: journal, failsToClose: false),
            ]
        )
        try consumer.subscribe(topics: [topic])
        #expect(try await readRecords(consumer, count: 5).count == 5)
        #expect(journal.count(of: "close") == 0)
        await consumer.close()
        #expect(journal.count(of: "close") == 2)
        #expect(journal.all.suffix(2) == ["close", "close"])
        await consumer.close()
        #expect(journal.count(of: "close") == 2)
    }
}
