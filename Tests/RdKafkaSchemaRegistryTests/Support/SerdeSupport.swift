import Foundation
import RdKafka

extension TestCluster {
    func consumerConfiguration() -> ConsumerConfiguration {
        var configuration = ConsumerConfiguration(
            bootstrapServers: bootstrapServers,
            groupID: "group-\(UUID().uuidString.prefix(8))",
            autoOffsetReset: .earliest,
            enableAutoCommit: false
        )
        configuration.sessionTimeout = .seconds(6)
        configuration.fetchMaxWait = .milliseconds(50)
        configuration.logger.logLevel = .warning
        return configuration
    }

    /// Reads the first `count` records of partition 0 of `topic` with these deserializers.
    func read<Key: Sendable, Value: Sendable>(
        _ topic: String,
        count: Int,
        keyDeserializer: some Deserializer<Key>,
        valueDeserializer: some Deserializer<Value>
    ) async throws -> [ConsumerRecord<Key, Value>] {
        let consumer = try KafkaConsumer(configuration: consumerConfiguration(), keyDeserializer: keyDeserializer, valueDeserializer: valueDeserializer)
        try consumer.assign([TopicPartition(topic: topic, partition: 0)])
        var records: [ConsumerRecord<Key, Value>] = []
        let deadline = ContinuousClock.now + .seconds(30)
        while records.count < count, ContinuousClock.now < deadline {
            if let record = try consumer.poll(timeout: .milliseconds(100)) { records.append(record) }
        }
        await consumer.close()
        guard records.count == count else { throw TimeoutError(what: "\(count) records, read \(records.count)") }
        return records
    }
}
