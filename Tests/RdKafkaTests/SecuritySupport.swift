import Foundation
import RdKafka
import Testing

extension TestCluster {
    /// Sends three records through `servers` with `security` and reads them back the same
    /// way (a consumer assigned the partition), returning the values read.
    func roundTrip(through servers: [String], security: SecurityConfiguration) async throws -> [String] {
        let topic = try createTopic("secure")
        var producerConfiguration = ProducerConfiguration(bootstrapServers: servers)
        producerConfiguration.security = security
        producerConfiguration.linger = .milliseconds(1)
        producerConfiguration.logger.logLevel = .critical
        let producer = try KafkaProducer(configuration: producerConfiguration, keySerializer: .string, valueSerializer: .string)
        for index in 0..<3 {
            _ = try await producer.send(ProducerRecord(topic: topic, partition: 0, key: "k\(index)", value: "secure-\(index)"))
        }
        await producer.close()

        var consumerConfiguration = consumerConfiguration()
        consumerConfiguration.bootstrapServers = servers
        consumerConfiguration.security = security
        consumerConfiguration.logger.logLevel = .critical
        let consumer = try assignedConsumer(topic, configuration: consumerConfiguration)
        let records = try await readRecords(consumer, count: 3, timeout: .seconds(30))
        await consumer.close()
        return records.map(\.value)
    }
}

/// Starts a producer through `servers` with `security` and returns the first client error
/// that names a security failure, waiting up to `timeout`.
func firstSecurityError(servers: [String], security: SecurityConfiguration, timeout: Duration = .seconds(20)) async throws -> KafkaError {
    try await firstError(servers: servers, security: security, timeout: timeout) { $0.securityFailure != nil }
}

/// Starts a producer through `servers` with `security` and returns the first client error
/// matching `condition`, waiting up to `timeout`.
func firstError(
    servers: [String],
    security: SecurityConfiguration,
    timeout: Duration = .seconds(20),
    where condition: @escaping @Sendable (KafkaError) -> Bool
) async throws -> KafkaError {
    let errors = Guarded<[KafkaError]>([])
    var configuration = ProducerConfiguration(bootstrapServers: servers)
    configuration.security = security
    configuration.logger.logLevel = .critical
    configuration.onError = { error in errors.withLock { $0.append(error) } }
    let producer = try KafkaProducer(configuration: configuration)
    try await eventually(timeout: timeout, "a matching error") {
        errors.withLock { $0.contains(where: condition) }
    }
    await producer.close(timeout: .seconds(1))
    return try #require(errors.withLock { $0.first(where: condition) })
}
