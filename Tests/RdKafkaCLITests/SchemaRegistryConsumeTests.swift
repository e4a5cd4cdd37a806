import Foundation
import NIOSSL
import RdKafka
import RdKafkaAvro
import RdKafkaSchemaRegistry
import RdKafkaTestSupport
import Testing

/// `consume -s ... -r URL`: records written by the library's schema registry serializers,
/// read by the built binary against the in-process registry, compared with golden output.
@Suite("consume through a schema registry")
struct SchemaRegistryConsumeTests {
    static let customerSchema = """
        {"type": "record", "name": "Customer", "namespace": "com.example", "fields": [
          {"name": "id", "type": "long"},
          {"name": "name", "type": "string"},
          {"name": "faxNumber", "type": ["null", "string"], "default": null},
          {"name": "tier", "type": {"type": "enum", "name": "Tier", "symbols": ["BASIC", "GOLD"]}},
          {"name": "tags", "type": {"type": "array", "items": "string"}}
        ]}
        """

    /// Computed, not stored: no AvroValue tree in a global (docs/testing.md, the leak checker).
    static var customers: [(key: String, value: AvroValue)] { [
        ("c-1", .record(["id": .long(1), "name": .string("Ada"), "faxNumber": .union(branch: 0, value: .null), "tier": .enumSymbol("GOLD"), "tags": .array([.string("vip")])])),
        ("c-2", .record(["id": .long(2), "name": .string("Grace \"Amazing\""), "faxNumber": .union(branch: 1, value: .string("555-1234")), "tier": .enumSymbol("BASIC"), "tags": .array([])])),
    ] }

    static let customersJSON = [
        #"{"id":1,"name":"Ada","faxNumber":null,"tier":"GOLD","tags":["vip"]}"#,
        #"{"id":2,"name":"Grace \"Amazing\"","faxNumber":{"string":"555-1234"},"tier":"BASIC","tags":[]}"#,
    ]

    /// Sends the customers with Avro keys (schema `"string"`) and values, timestamps fixed.
    private func produceCustomers(_ topic: String, cluster: TestCluster, registry: SchemaRegistryClient, firstOffset: Int64 = 0) async throws {
        let keys = AvroSerializer<AvroValue>(registry: registry, schema: try AvroSchema(parsing: #""string""#), isKey: true)
        let values = AvroSerializer<AvroValue>(registry: registry, schema: try AvroSchema(parsing: Self.customerSchema))
        try await keys.prepare(topics: [topic])
        try await values.prepare(topics: [topic])
        let producer = try KafkaProducer(configuration: cluster.producerConfiguration(), keySerializer: keys, valueSerializer: values)
        do {
            for (index, customer) in Self.customers.enumerated() {
                let timestamp = KafkaTimestamp(millisecondsSinceEpoch: GoldenRecords.firstTimestamp + firstOffset + Int64(index))
                try await producer.send(ProducerRecord(topic: topic, partition: 0, key: .string(customer.key), value: customer.value, timestamp: timestamp))
            }
        } catch {
            await producer.close()
            throw error
        }
        await producer.close()
    }

    private func consume(_ topic: String, cluster: TestCluster, _ arguments: [String]) async throws -> CLIResult {
        try await CLIProcess.run(["consume"] + cluster.brokerArguments + ["-o", "beginning", "-e"] + arguments + [topic])
    }

    @Test("Avro keys and values print as Avro's JSON encoding, in -J lines and in -f")
    func avro() async throws {
        let registry = try await InProcessSchemaRegistry.start()
        let client = SchemaRegistryClient(configuration: .init(url: registry.url))
        let cluster = try TestCluster.make()
        let topic = try cluster.createTopic("avro")
        try await produceCustomers(topic, cluster: cluster, registry: client)

        let lines = try await consume(topic, cluster: cluster, ["-s", "avro", "-r", registry.url, "-J"])
        #expect(lines.status == 0, "stderr: \(lines.stderr)")
        #expect(lines.stderr.isEmpty)
        let expected = """
            {"topic":"\(topic)","partition":0,"offset":0,"timestamp":1700000000000,"key":"c-1","value":\(Self.customersJSON[0]),"headers":[]}
            {"topic":"\(topic)","partition":0,"offset":1,"timestamp":1700000000001,"key":"c-2","value":\(Self.customersJSON[1]),"headers":[]}

            """
        #expect(lines.output == expected)
        for line in lines.output.split(separator: "\n") {
            #expect(try JSONSerialization.jsonObject(with: Data(line.utf8)) is [String: Any])
        }

        // Only the value decoded: the key prints as its Avro bytes (length, then UTF-8).
        let format = try await consume(topic, cluster: cluster, ["-s", "value=avro", "-r", registry.url, "-f", "%o %K %s\\n"])
        #expect(format.status == 0, "stderr: \(format.stderr)")
        #expect(format.output == "0 9 \(Self.customersJSON[0])\n1 9 \(Self.customersJSON[1])\n")
        try await registry.stop()
    }

    @Test("JSON Schema values print as the JSON they carry")
    func jsonSchema() async throws {
        struct Order: Codable, Sendable { var id: String; var amount: Int; var note: String? }
        let registry = try await InProcessSchemaRegistry.start()
        let client = SchemaRegistryClient(configuration: .init(url: registry.url))
        let cluster = try TestCluster.make()
        let topic = try cluster.createTopic("jsonschema")
        let schema = #"{"$schema": "http://json-schema.org/draft-07/schema#", "title": "Order", "type": "object", "properties": {"id": {"type": "string"}, "amount": {"type": "integer"}, "note": {"type": "string"}}}"#
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        let serializer = JSONSchemaSerializer<Order>(registry: client, schema: schema, encoder: encoder)
        try await serializer.prepare(topics: [topic])
        let producer = try KafkaProducer(configuration: cluster.producerConfiguration(), keySerializer: .string, valueSerializer: serializer)
        for (index, order) in [Order(id: "o-1", amount: 10, note: "line\nbreak"), Order(id: "o-2", amount: 20, note: nil)].enumerated() {
            let timestamp = KafkaTimestamp(millisecondsSinceEpoch: GoldenRecords.firstTimestamp + Int64(index))
            try await producer.send(ProducerRecord(topic: topic, partition: 0, key: order.id, value: order, timestamp: timestamp))
        }
        await producer.close()

        let result = try await consume(topic, cluster: cluster, ["-s", "value=json", "-r", registry.url, "-J"])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        // Pretty-printed payloads stay one record per line: their line breaks are whitespace.
        let lines = result.output.split(separator: "\n").map(String.init)
        #expect(lines.count == 2, "stdout: \(result.output)")
        let values = try lines.map { line in
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            #expect(object["key"] as? String != nil)
            return try #require(object["value"] as? [String: Any])
        }
        #expect(values.count == 2)
        #expect(values.first?["id"] as? String == "o-1")
        #expect(values.first?["amount"] as? Int == 10)
        #expect(values.first?["note"] as? String == "line\nbreak")
        #expect(values.last?["id"] as? String == "o-2")
        #expect(values.last?.keys.sorted() == ["amount", "id"])
        try await registry.stop()
    }

    @Test("Protobuf values print as the proto3 JSON mapping, decoded with the registry's .proto text")
    func protobuf() async throws {
        let registry = try await InProcessSchemaRegistry.start()
        let client = SchemaRegistryClient(configuration: .init(url: registry.url))
        let cluster = try TestCluster.make()
        let topic = try cluster.createTopic("protobuf")
        let serializer = ProtobufSerializer<Greeting>(registry: client, schema: Schema(Greeting.proto, type: .protobuf))
        try await serializer.prepare(topics: [topic])
        let producer = try KafkaProducer(configuration: cluster.producerConfiguration(), keySerializer: .string, valueSerializer: serializer)
        let greetings = [Greeting(text: "hi", count: 300), Greeting(text: "quote \"q\"", count: 0)]
        for (index, greeting) in greetings.enumerated() {
            let timestamp = KafkaTimestamp(millisecondsSinceEpoch: GoldenRecords.firstTimestamp + Int64(index))
            try await producer.send(ProducerRecord(topic: topic, partition: 0, key: "g", value: greeting, timestamp: timestamp))
        }
        await producer.close()

        let result = try await consume(topic, cluster: cluster, ["-s", "value=protobuf", "-r", registry.url, "-f", "%s\\n"])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stderr.isEmpty, "stderr: \(result.stderr)")
        // proto3 leaves the default count out, as swift-protobuf's own JSON does.
        #expect(result.output == #"{"text":"hi","count":300}"# + "\n" + #"{"text":"quote \"q\""}"# + "\n")
        #expect(result.output == (try greetings.map { try $0.jsonString() + "\n" }.joined()))

        let lines = try await consume(topic, cluster: cluster, ["-s", "value=protobuf", "-r", registry.url, "-J"])
        #expect(lines.status == 0, "stderr: \(lines.stderr)")
        #expect(lines.output == """
            {"topic":"\(topic)","partition":0,"offset":0,"timestamp":1700000000000,"key":"g","value":{"text":"hi","count":300},"headers":[]}
            {"topic":"\(topic)","partition":0,"offset":1,"timestamp":1700000000001,"key":"g","value":{"text":"quote \\"q\\""},"headers":[]}

            """)
        try await registry.stop()
    }

    @Test("A Protobuf schema the parser cannot read: the message as hex, with one note on stderr")
    func protobufUnparsedSchema() async throws {
        let registry = try await InProcessSchemaRegistry.start()
        let client = SchemaRegistryClient(configuration: .init(url: registry.url))
        let cluster = try TestCluster.make()
        let topic = try cluster.createTopic("protobuf-editions")
        let editions = Greeting.proto.replacingOccurrences(of: #"syntax = "proto3";"#, with: #"edition = "2023";"#)
        let serializer = ProtobufSerializer<Greeting>(registry: client, schema: Schema(editions, type: .protobuf))
        try await serializer.prepare(topics: [topic])
        let producer = try KafkaProducer(configuration: cluster.producerConfiguration(), keySerializer: .string, valueSerializer: serializer)
        for _ in 0..<2 { try await producer.send(ProducerRecord(topic: topic, partition: 0, key: "g", value: Greeting(text: "hi", count: 300))) }
        await producer.close()

        let result = try await consume(topic, cluster: cluster, ["-s", "value=protobuf", "-r", registry.url, "-f", "%s\\n"])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        // Field 1 "hi", field 2 varint 300.
        #expect(result.output == "0a02686910ac02\n0a02686910ac02\n")
        #expect(result.stderr.split(separator: "\n").count == 1, "stderr: \(result.stderr)")
        #expect(result.stderr.contains("does not parse as Protobuf"), "stderr: \(result.stderr)")
        #expect(result.stderr.contains("editions"), "stderr: \(result.stderr)")
        try await registry.stop()
    }

    @Test("An undecodable record: one line on stderr naming it, the others printed, exit status 1")
    func undecodableRecords() async throws {
        let registry = try await InProcessSchemaRegistry.start()
        let client = SchemaRegistryClient(configuration: .init(url: registry.url))
        let cluster = try TestCluster.make()
        let topic = try cluster.createTopic("undecodable")
        try await produceCustomers(topic, cluster: cluster, registry: client)
        try await cluster.produce([
            ProducerRecord(topic: topic, partition: 0, value: Array("plain text".utf8)),
            // Framed, but with an id the registry never gave.
            ProducerRecord(topic: topic, partition: 0, value: [0, 0, 0, 3, 0xE7, 0x02]),
        ])

        let result = try await consume(topic, cluster: cluster, ["-s", "value=avro", "-r", registry.url, "-f", "%o %s\\n"])
        #expect(result.status == 1)
        #expect(result.output == "0 \(Self.customersJSON[0])\n1 \(Self.customersJSON[1])\n")
        let lines = result.stderr.split(separator: "\n").map(String.init)
        #expect(lines.count == 3, "stderr: \(result.stderr)")
        #expect(lines.allSatisfy { $0.hasPrefix("rdkafka: ") }, "stderr: \(result.stderr)")
        #expect(lines.first?.hasPrefix("rdkafka: cannot decode \(topic) partition 0 offset 2: value: ") == true, "stderr: \(result.stderr)")
        #expect(lines.first?.contains("magic byte") == true, "stderr: \(result.stderr)")
        #expect(lines.dropFirst().first?.hasPrefix("rdkafka: cannot decode \(topic) partition 0 offset 3: value: ") == true, "stderr: \(result.stderr)")
        #expect(lines.dropFirst().first?.contains("40403") == true, "stderr: \(result.stderr)")
        #expect(lines.last == "rdkafka: 2 records could not be decoded")
        try await registry.stop()
    }

    @Test("A registry that wants credentials: from the URL or --schema-registry-user; without them a one-line 401")
    func basicAuthentication() async throws {
        let registry = try await InProcessSchemaRegistry.start(requiredAuthorization: "Basic " + Data("reader:s3cret".utf8).base64EncodedString())
        let client = SchemaRegistryClient(configuration: .init(url: registry.url, authentication: .basic(username: "reader", password: "s3cret")))
        let cluster = try TestCluster.make()
        let topic = try cluster.createTopic("auth")
        try await produceCustomers(topic, cluster: cluster, registry: client)
        let expected = Self.customersJSON.joined(separator: "\n") + "\n"

        let option = try await consume(topic, cluster: cluster, ["-s", "value=avro", "-r", registry.url, "--schema-registry-user", "reader:s3cret", "-f", "%s\\n"])
        #expect(option.status == 0, "stderr: \(option.stderr)")
        #expect(option.output == expected)
        let inURL = try await consume(topic, cluster: cluster, ["-s", "value=avro", "-r", registry.url.replacingOccurrences(of: "http://", with: "http://reader:s3cret@"), "-f", "%s\\n"])
        #expect(inURL.status == 0, "stderr: \(inURL.stderr)")
        #expect(inURL.output == expected)
        let refused = try await consume(topic, cluster: cluster, ["-s", "value=avro", "-r", registry.url, "-f", "%s\\n"])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("offset 0: value: schema registry error 401"), "stderr: \(refused.stderr)")
        try await registry.stop()
    }

    @Test("Schema options that do not fit together are usage errors (exit status 2)")
    func usageErrors() async throws {
        for (arguments, text) in [
            (["-s", "value=avro"], "-r"),
            (["-r", "http://127.0.0.1:1"], "-s"),
            (["-s", "value=xml", "-r", "http://127.0.0.1:1"], "xml"),
            (["-s", "body=avro", "-r", "http://127.0.0.1:1"], "body=avro"),
            (["-s", "avro", "-r", "ftp://registry"], "ftp://registry"),
            (["-s", "avro", "-r", "http://127.0.0.1:1", "--schema-registry-ca", "/nonexistent.pem"], "https"),
        ] {
            let result = try await CLIProcess.run(["consume", "-b", "127.0.0.1:1"] + arguments + ["t"])
            #expect(result.status == 2, "\(arguments): stderr: \(result.stderr)")
            #expect(result.stderr.split(separator: "\n").count == 1, "\(arguments): stderr: \(result.stderr)")
            #expect(result.stderr.contains(text), "\(arguments): stderr: \(result.stderr)")
        }
    }
}

/// `--schema-registry-ca`: an https registry with a self-signed certificate (made by the
/// `openssl` command at test time) is trusted through the file, refused without it.
@Suite(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/openssl"), "needs /usr/bin/openssl to make a test certificate"))
struct SchemaRegistryTLSConsumeTests {
    @Test func customCertificateAuthority() async throws {
        let files = try SelfSignedCertificate.make(prefix: "cli-registry-tls")
        defer { files.remove() }
        let certificate = try #require(try NIOSSLCertificate.fromPEMFile(files.certificatePath).first)
        let key = try NIOSSLPrivateKey(file: files.keyPath, format: .pem)
        let context = try NIOSSLContext(configuration: .makeServerConfiguration(certificateChain: [.certificate(certificate)], privateKey: .privateKey(key)))
        let registry = try await InProcessSchemaRegistry.start(tls: context)
        var trusting = TLSConfiguration.makeClientConfiguration()
        trusting.trustRoots = .certificates([certificate])
        let client = SchemaRegistryClient(configuration: .init(url: registry.url, tlsConfiguration: trusting))

        let cluster = try TestCluster.make()
        let topic = try cluster.createTopic("tls")
        let serializer = AvroSerializer<AvroValue>(registry: client, schema: try AvroSchema(parsing: #""string""#))
        try await serializer.prepare(topics: [topic])
        let producer = try KafkaProducer(configuration: cluster.producerConfiguration(), keySerializer: .string, valueSerializer: serializer)
        try await producer.send(ProducerRecord(topic: topic, partition: 0, value: .string("secured")))
        await producer.close()

        let arguments = ["consume"] + cluster.brokerArguments + ["-o", "beginning", "-e", "-s", "value=avro", "-r", registry.url, "-f", "%s\\n"]
        let trusted = try await CLIProcess.run(arguments + ["--schema-registry-ca", files.certificatePath, topic])
        #expect(trusted.status == 0, "stderr: \(trusted.stderr)")
        #expect(trusted.output == "\"secured\"\n")
        let refused = try await CLIProcess.run(arguments + [topic])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("cannot decode \(topic) partition 0 offset 0: value: transport"), "stderr: \(refused.stderr)")
        let missing = try await CLIProcess.run(arguments + ["--schema-registry-ca", files.directory.appendingPathComponent("absent.pem").path, topic])
        #expect(missing.status == 1)
        #expect(missing.stderr.hasPrefix("rdkafka: reading --schema-registry-ca"), "stderr: \(missing.stderr)")
        #expect(missing.stderr.split(separator: "\n").count == 1, "stderr: \(missing.stderr)")
        try await registry.stop()
    }
}
