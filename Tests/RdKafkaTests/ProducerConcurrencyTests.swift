import RdKafka
import Synchronization
import Testing

@Suite("Producer: concurrency")
struct ProducerConcurrencyTests {
    @Test("64 tasks sending to one producer: every record delivered once")
    func manySenders() async throws {
        let fixture = try TestCluster.makeProducerFixture(partitions: 4, keySerializer: .int32, valueSerializer: .int32)
        let (topic, producer) = (fixture.topic, fixture.producer)
        let positions = try await withThrowingTaskGroup(of: [String].self) { group in
            for sender in Int32(0)..<64 {
                group.addTask {
                    var positions: [String] = []
                    for index in Int32(0)..<200 {
                        let metadata = try await producer.send(ProducerRecord(topic: topic, key: sender, value: index))
                        positions.append("\(metadata.partition)@\(metadata.offset)")
                    }
                    return positions
                }
            }
            return try await group.reduce(into: [String]()) { $0 += $1 }
        }
        #expect(positions.count == 64 * 200)
        #expect(Set(positions).count == positions.count, "no two records share a position")
        await fixture.close()
    }

    // The producer remembers a handle for the first topic it sends to and sends to others by
    // name; tasks starting at once on different topics race to be first.
    @Test("tasks starting at once on 4 topics: each record is stored in its own topic")
    func manyTopics() async throws {
        let cluster = try TestCluster.make()
        let topics = try (0..<4).map { _ in try cluster.createTopic(partitions: 1) }
        let producer = try KafkaProducer(configuration: cluster.producerConfiguration(), keySerializer: .int32, valueSerializer: .string)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (number, topic) in topics.enumerated() {
                group.addTask {
                    for index in Int32(0)..<300 {
                        try producer.sendAndForget(ProducerRecord(topic: topic, key: index, value: "\(number)"))
                    }
                }
            }
            try await group.waitForAll()
        }
        try await producer.flush(timeout: .seconds(30))
        await producer.close()
        for (number, topic) in topics.enumerated() {
            let records = try RawConsumer.readAll(topic: topic, count: 300, bootstrapServers: cluster.bootstrapServers)
            #expect(records.count == 300)
            #expect(records.allSatisfy { $0.value.map { String(decoding: $0, as: UTF8.self) } == "\(number)" })
        }
    }

    @Test("close racing with senders: every send either succeeds, fails typed, or is refused as closed")
    func closeWhileSending() async throws {
        let fixture = try TestCluster.makeProducerFixture(partitions: 2, keySerializer: .bytes, valueSerializer: .int32)
        let (topic, producer) = (fixture.topic, fixture.producer)
        let outcomes = Outcomes()
        await withTaskGroup(of: Void.self) { group in
            for sender in Int32(0)..<16 {
                group.addTask {
                    for index in Int32(0)..<500 {
                        do {
                            try await producer.send(ProducerRecord(topic: topic, value: sender * 1000 + index))
                            outcomes.delivered.add(1, ordering: .relaxed)
                        } catch let error as KafkaError where error.code == .clientClosed {
                            outcomes.refused.add(1, ordering: .relaxed)
                            return
                        } catch {
                            outcomes.failed.add(1, ordering: .relaxed)
                        }
                    }
                }
            }
            group.addTask {
                // A few records per sender are enough to put close in the middle of sending;
                // a loaded machine may deliver only a handful a second per awaiting sender.
                try? await eventually("some records delivered") { outcomes.delivered.load(ordering: .relaxed) >= 64 }
                await fixture.close()
            }
        }
        #expect(outcomes.delivered.load(ordering: .relaxed) >= 64)
        #expect(outcomes.refused.load(ordering: .relaxed) > 0, "senders still running after close were refused")
        #expect(outcomes.failed.load(ordering: .relaxed) == 0, "close delivered what it had accepted")
    }

    private final class Outcomes: Sendable {
        let delivered = Atomic<Int>(0)
        let refused = Atomic<Int>(0)
        let failed = Atomic<Int>(0)
    }
}
