import RdKafka

// TestCluster.swift is Tests/RdKafkaTests' own file (a symlink here); what only the CLI
// tests need is added beside it.
extension TestCluster {
    /// `-b` for the binary.
    var brokerArguments: [String] { ["-b", bootstrapServers.joined(separator: ",")] }

    /// Sends records through the library, for tests that need exact timestamps or partitions.
    func produce(_ records: [ProducerRecord<[UInt8], [UInt8]>]) async throws {
        let producer = try KafkaProducer(configuration: producerConfiguration())
        do {
            for record in records { try await producer.send(record) }
        } catch {
            await producer.close()
            throw error
        }
        await producer.close()
    }
}
