import Foundation
import RdKafkaTestSupport
import RdKafka
import RdKafkaAvro
import RdKafkaSchemaRegistry
import Testing

/// Records produced with the Swift serializer decode with confluent-kafka-python's
/// AvroDeserializer, and records from its AvroSerializer decode with the Swift deserializer,
/// through a broker and the in-process registry. Python comes from RDKAFKA_TEST_PYTHON,
/// with the packages of Tests/python-requirements.txt.
@Suite(.enabled(
    if: ProcessInfo.processInfo.environment["RDKAFKA_TEST_PYTHON"] != nil,
    "set RDKAFKA_TEST_PYTHON to a Python with confluent-kafka[avro] (Tests/python-requirements.txt)"
))
struct ConfluentPythonInteropTests {
    @Test("Swift serializer → confluent-kafka-python AvroDeserializer, on the evolved Customer")
    func swiftToPython() async throws {
        let (registry, cluster, topic) = try await RegistryFixture.startWithTopic(topicPrefix: "customers")
        let customers = [CustomerV2(id: 1, name: "Ada", email: "ada@example.com"), CustomerV2(id: 2, name: "Grace", email: "grace@example.com")]
        let producer = try KafkaProducer(
            configuration: cluster.producerConfiguration(), keySerializer: .string,
            valueSerializer: AvroSerializer<CustomerV2>(registry: registry.client, schema: try CustomerSchemas.v2)
        )
        for customer in customers { try await producer.send(ProducerRecord(topic: topic, key: "\(customer.id)", value: customer)) }
        await producer.close()

        let output = try runPython(["consume", cluster.bootstrapServers.joined(separator: ","), registry.server.url, topic, "2"])
        let decoded = try JSONDecoder().decode([CustomerV2].self, from: output)
        #expect(decoded == customers)
        try await registry.stop()
    }

    @Test("confluent-kafka-python AvroSerializer → Swift deserializer, read as the evolved Customer")
    func pythonToSwift() async throws {
        let (registry, cluster, topic) = try await RegistryFixture.startWithTopic(topicPrefix: "customers")
        let records = #"[{"id": 1, "name": "Ada", "faxNumber": "+44 20 7946 0000"}, {"id": 2, "name": "Grace", "faxNumber": null}]"#
        _ = try runPython(["produce", cluster.bootstrapServers.joined(separator: ","), registry.server.url, topic, CustomerSchemas.v1Text, records])

        let asV1 = try await cluster.read(
            topic, count: 2, keyDeserializer: .string,
            valueDeserializer: AvroDeserializer<CustomerV1>(registry: registry.client, readerSchema: try CustomerSchemas.v1)
        )
        #expect(asV1.map(\.value) == [CustomerV1(id: 1, name: "Ada", faxNumber: "+44 20 7946 0000"), CustomerV1(id: 2, name: "Grace", faxNumber: nil)])
        let asV2 = try await cluster.read(
            topic, count: 2, keyDeserializer: .string,
            valueDeserializer: AvroDeserializer<CustomerV2>(registry: registry.client, readerSchema: try CustomerSchemas.v2)
        )
        #expect(asV2.map(\.value) == [CustomerV2(id: 1, name: "Ada", email: "unknown"), CustomerV2(id: 2, name: "Grace", email: "unknown")])
        #expect(try await registry.client.subjects() == ["\(topic)-value"], "the Python serializer registered under the topic strategy's subject")
        try await registry.stop()
    }

    private func runPython(_ arguments: [String]) throws -> Data {
        let python = try #require(ProcessInfo.processInfo.environment["RDKAFKA_TEST_PYTHON"])
        let script = FileManager.default.temporaryDirectory.appendingPathComponent("confluent-interop-\(UUID().uuidString).py")
        try ConfluentPythonScript.source.write(to: script, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: script) }
        let process = TestProcess()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [script.path] + arguments
        // stderr goes to a file, so that neither pipe can fill up and stall the script.
        let errorFile = script.appendingPathExtension("stderr")
        guard FileManager.default.createFile(atPath: errorFile.path, contents: nil) else {
            throw PythonFailure(description: "cannot create \(errorFile.path)")
        }
        defer { try? FileManager.default.removeItem(at: errorFile) }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = try FileHandle(forWritingTo: errorFile)
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let errorText = (try? String(contentsOf: errorFile, encoding: .utf8)) ?? ""
            throw PythonFailure(description: "python exited with \(process.terminationStatus): \(errorText)")
        }
        return data
    }
}

struct PythonFailure: Error, CustomStringConvertible {
    let description: String
}
