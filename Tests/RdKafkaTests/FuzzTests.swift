import CRdKafka
import Foundation
@testable import RdKafka
import Testing

/// Property tests over random input for everything that parses what comes from outside:
/// the built-in deserializers, configuration values, statistics JSON, topic names and
/// record headers. Each must answer every input with a value or a typed error: no crash,
/// no hang.
///
/// The normal suite runs a few thousand inputs per target; `make fuzz` sets
/// `RDKAFKA_FUZZ_ITERATIONS` (one million) and runs only this suite. A failure names the
/// seed; `RDKAFKA_FUZZ_SEED` replays it.
@Suite("Fuzzing: random input never crashes or hangs")
struct FuzzTests {
    static let iterations = ProcessInfo.processInfo.environment["RDKAFKA_FUZZ_ITERATIONS"].flatMap { Int($0) } ?? 2_000
    static let seed = ProcessInfo.processInfo.environment["RDKAFKA_FUZZ_SEED"].flatMap { UInt64($0) } ?? UInt64.random(in: 1...UInt64.max)
    /// The longest any single input may take: far above the slowest honest input, far below a hang.
    static let slowInput: Duration = .seconds(2)

    @Test("every built-in deserializer")
    func deserializers() {
        var random = FuzzRandom(seed: Self.seed)
        var slowest = Duration.zero
        for _ in 0..<Self.iterations {
            let bytes = random.payload()
            let started = ContinuousClock.now
            bytes.withUnsafeBytes { buffer in
                let topic = "t"
                #expect((try? BytesDeserializer().deserialize(buffer, topic: topic)) == bytes)
                #expect((try? DataDeserializer().deserialize(buffer, topic: topic)) == Data(bytes))
                if let string = try? StringDeserializer().deserialize(buffer, topic: topic) {
                    #expect(Array(string.utf8) == bytes, "seed \(Self.seed)")
                } else {
                    #expect(String(validating: bytes, as: UTF8.self) == nil, "seed \(Self.seed)")
                }
                Self.checkInteger(BigEndianIntegerDeserializer<Int16>(), buffer)
                Self.checkInteger(BigEndianIntegerDeserializer<Int32>(), buffer)
                Self.checkInteger(BigEndianIntegerDeserializer<Int64>(), buffer)
                let double = try? BigEndianDoubleDeserializer().deserialize(buffer, topic: topic)
                #expect((double != nil) == (bytes.count == 8), "seed \(Self.seed)")
                _ = try? JSONDeserializer<FuzzDocument>(decoder: JSONDecoder()).deserialize(buffer, topic: topic)
                _ = try? JSONDeserializer<[String: Double]>(decoder: JSONDecoder()).deserialize(buffer, topic: topic)
                #expect((try? OptionalDeserializer(wrapped: StringDeserializer()).deserializeNull(topic: topic)) == .some(nil))
                _ = try? OptionalDeserializer(wrapped: BigEndianIntegerDeserializer<Int32>()).deserialize(buffer, topic: topic)
            }
            slowest = max(slowest, started.duration(to: .now))
        }
        #expect(slowest < Self.slowInput, "seed \(Self.seed): the slowest input took \(slowest)")
    }

    private static func checkInteger<Value: FixedWidthInteger & Sendable>(_ deserializer: BigEndianIntegerDeserializer<Value>, _ buffer: UnsafeRawBufferPointer) {
        let value = try? deserializer.deserialize(buffer, topic: "t")
        #expect((value != nil) == (buffer.count == MemoryLayout<Value>.size), "seed \(seed)")
        if let value {
            // Serializing it again gives the same bytes.
            let again = try? BigEndianIntegerSerializer<Value>().serialize(value, topic: "t")
            #expect(again == Array(buffer), "seed \(seed)")
        }
    }

    @Test("configuration values: librdkafka's properties and the typed settings")
    func configurationValues() throws {
        var random = FuzzRandom(seed: Self.seed)
        let names = FuzzRandom.propertyNames
        var configuration = NativeConfiguration()
        var slowest = Duration.zero
        for iteration in 0..<Self.iterations {
            if iteration % 1_000 == 0 { configuration = NativeConfiguration() }
            let name = random.chance(1, in: 20) ? random.text() : names[random.below(names.count)]
            let value = random.configurationValue()
            let started = ContinuousClock.now
            do {
                try configuration.set(name, value)
            } catch {
                #expect(error.code == .invalidConfiguration, "seed \(Self.seed)")
                #expect(error.property == name, "seed \(Self.seed)")
            }
            if iteration % 10 == 0 {
                var consumer = ConsumerConfiguration(bootstrapServers: [random.text()], groupID: random.chance(1, in: 2) ? random.text() : nil)
                consumer.sessionTimeout = random.duration()
                consumer.maxPollInterval = random.duration()
                consumer.autoCommitInterval = random.duration()
                consumer.fetchMaxWait = random.duration()
                consumer.queuedMinMessages = random.chance(1, in: 2) ? Int(truncatingIfNeeded: random.next()) : nil
                consumer.properties[random.chance(1, in: 2) ? names[random.below(names.count)] : random.text()] = random.configurationValue()
                var producer = ProducerConfiguration(bootstrapServers: [random.text()])
                producer.linger = random.duration()
                producer.deliveryTimeout = random.duration()
                producer.maxQueuedRecords = random.chance(1, in: 2) ? Int(truncatingIfNeeded: random.next()) : nil
                producer.transactionalID = random.chance(1, in: 4) ? random.text() : nil
                for properties in [try? consumer.librdkafkaProperties(), try? producer.librdkafkaProperties()] {
                    guard let properties else { continue }
                    do {
                        try NativeConfiguration().set(properties)
                    } catch {
                        #expect(error.code == .invalidConfiguration, "seed \(Self.seed)")
                    }
                }
            }
            slowest = max(slowest, started.duration(to: .now))
        }
        #expect(slowest < Self.slowInput, "seed \(Self.seed): the slowest input took \(slowest)")
    }

    @Test("statistics JSON: random documents and mutations of real ones")
    func statisticsJSON() {
        var random = FuzzRandom(seed: Self.seed)
        let fixtures = [StatisticsFixtures.producer, StatisticsFixtures.consumer].map { Array($0.utf8) }
        let keys = FuzzRandom.statisticsKeys(in: StatisticsFixtures.consumer + StatisticsFixtures.producer)
        var slowest = Duration.zero
        for _ in 0..<Self.iterations {
            let json: [UInt8]
            if random.chance(1, in: 50) {
                json = random.mutate(fixtures[random.below(fixtures.count)])
            } else {
                json = Array(random.jsonObject(keys: keys, depth: 4).utf8)
            }
            let started = ContinuousClock.now
            if let statistics = try? Statistics(jsonBytes: json) {
                // Everything decoded is readable.
                _ = statistics.brokers.map { ($0.name, $0.state, $0.isUp) }
                _ = statistics.topics.map { $0.partitions.count }
            }
            slowest = max(slowest, started.duration(to: .now))
        }
        #expect(slowest < Self.slowInput, "seed \(Self.seed): the slowest input took \(slowest)")
    }

    @Test("topic names: the check agrees with Kafka's rules")
    func topicNames() {
        var random = FuzzRandom(seed: Self.seed)
        let legal = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-".utf8)
        for _ in 0..<Self.iterations {
            let name = random.topicName()
            let problem = TopicName.problem(with: name)
            let bytes = Array(name.utf8)
            let valid = !bytes.isEmpty && bytes.count <= 249 && bytes.allSatisfy(legal.contains) && name != "." && name != ".."
            #expect((problem == nil) == valid, "seed \(Self.seed): \(name.debugDescription) → \(problem ?? "valid")")
        }
    }

    @Test("record headers: what the producer side builds, the consumer side reads back")
    func headers() {
        var random = FuzzRandom(seed: Self.seed)
        var slowest = Duration.zero
        for _ in 0..<Self.iterations {
            let headers = (0..<random.below(6)).map { _ in
                RecordHeader(key: random.headerKey(), value: random.chance(1, in: 4) ? nil : random.payload())
            }
            let started = ContinuousClock.now
            let list = NativeMessages.makeHeaders(headers)
            let read = NativeConsumedMessage.headers(in: list)
            rd_kafka_headers_destroy(list)
            slowest = max(slowest, started.duration(to: .now))
            // Exactly, null and empty values kept apart; one reported failure is enough.
            guard read == headers else {
                Issue.record("seed \(Self.seed): wrote \(headers), read back \(read)")
                break
            }
        }
        #expect(slowest < Self.slowInput, "seed \(Self.seed): the slowest input took \(slowest)")
    }
}

/// A JSON shape for the JSON deserializer to decode (or refuse).
private struct FuzzDocument: Codable {
    var id: String
    var amount: Int
    var ratio: Double?
    var tags: [String]
    var nested: [String: Int64]?
}

extension JSONDeserializer {
    fileprivate init(decoder: JSONDecoder) where Value == FuzzDocument { self = .json(FuzzDocument.self, decoder: decoder) }
    fileprivate init(decoder: JSONDecoder) where Value == [String: Double] { self = .json([String: Double].self, decoder: decoder) }
}

extension OptionalDeserializer {
    fileprivate init(wrapped: Wrapped) { self = .optional(wrapped) }
}
