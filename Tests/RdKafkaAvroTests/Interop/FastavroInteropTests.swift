import Foundation
import RdKafkaAvro
import Testing

/// What the Swift codec writes decodes in fastavro given the writer's schema, and the
/// reverse, over a corpus with every type and logical type and the Customer evolution in
/// both directions. fastavro comes from Tests/python-requirements.txt; the test finds its
/// Python through RDKAFKA_TEST_PYTHON.
@Suite(.enabled(if: ProcessEnvironment.value("RDKAFKA_TEST_PYTHON") != nil, "set RDKAFKA_TEST_PYTHON to a Python with fastavro (Tests/python-requirements.txt)"))
struct FastavroInteropTests {
    struct Case {
        var name: String
        var writer: String
        var reader: String?
        /// What Swift writes with the writer's schema.
        var written: AvroValue
        /// What Swift expects to read (as the reader's schema) from fastavro's bytes.
        var expected: AvroValue
    }

    // Computed, not stored: see AvroFixtures.everythingValue.
    static var cases: [Case] { [
        Case(name: "everything", writer: AvroFixtures.everything, written: AvroFixtures.everythingValue, expected: AvroFixtures.everythingValue),
        Case(name: "string", writer: #""string""#, written: .string("héllo 😀"), expected: .string("héllo 😀")),
        Case(name: "nullableLong", writer: #"["null", "long"]"#, written: .union(branch: 1, value: .long(5)), expected: .union(branch: 1, value: .long(5))),
        Case(name: "nullableNull", writer: #"["null", "long"]"#, written: .union(branch: 0, value: .null), expected: .union(branch: 0, value: .null)),
        Case(name: "map", writer: #"{"type": "map", "values": "long"}"#, written: .map(["a": .long(1), "b": .long(-2), "c": .long(1 << 62)]),
             expected: .map(["a": .long(1), "b": .long(-2), "c": .long(1 << 62)])),
        Case(name: "nestedArrays", writer: #"{"type": "array", "items": {"type": "array", "items": {"type": "record", "name": "P", "fields": [{"name": "x", "type": "int"}]}}}"#,
             written: .array([.array([.record(["x": .int(1)])]), .array([]), .array([.record(["x": .int(-1)]), .record(["x": .int(2)])])]),
             expected: .array([.array([.record(["x": .int(1)])]), .array([]), .array([.record(["x": .int(-1)]), .record(["x": .int(2)])])])),
        Case(name: "recursive", writer: #"{"type": "record", "name": "Node", "fields": [{"name": "value", "type": "long"}, {"name": "next", "type": ["null", "Node"]}]}"#,
             written: .record(["value": .long(1), "next": .union(branch: 1, value: .record(["value": .long(2), "next": .union(branch: 0, value: .null)]))]),
             expected: .record(["value": .long(1), "next": .union(branch: 1, value: .record(["value": .long(2), "next": .union(branch: 0, value: .null)]))])),
        Case(name: "customerV1ToV2", writer: AvroFixtures.customerV1, reader: AvroFixtures.customerV2,
             written: .record(["id": .long(7), "name": .string("Ada"), "faxNumber": .union(branch: 1, value: .string("555"))]),
             expected: .record(["id": .long(8), "name": .string("Bob"), "email": .string("unknown@example.com")])),
        Case(name: "customerV2ToV1", writer: AvroFixtures.customerV2, reader: AvroFixtures.customerV1,
             written: .record(["id": .long(10), "name": .string("Di"), "email": .string("di@example.com")]),
             expected: .record(["id": .long(9), "name": .string("Cy"), "faxNumber": .union(branch: 0, value: .null)])),
        Case(name: "enumDefault", writer: #"{"type": "enum", "name": "Suit", "symbols": ["HEARTS", "JOKER"]}"#,
             reader: #"{"type": "enum", "name": "Suit", "symbols": ["UNKNOWN", "HEARTS"], "default": "UNKNOWN"}"#,
             written: .enumSymbol("JOKER"), expected: .enumSymbol("UNKNOWN")),
        Case(name: "promotion", writer: #""int""#, reader: #""double""#, written: .int(-3), expected: .double(-3)),
    ] }

    @Test func swiftAndFastavroReadEachOther() throws {
        let python = try #require(ProcessEnvironment.value("RDKAFKA_TEST_PYTHON"))
        var input: [[String: String]] = []
        let cases = Self.cases
        for testCase in cases {
            let writer = try AvroSchema(parsing: testCase.writer)
            var entry = ["name": testCase.name, "writer": testCase.writer, "swiftHex": hex(try writer.encode(testCase.written))]
            entry["reader"] = testCase.reader
            input.append(entry)
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rdkafka-avro-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let casesFile = directory.appendingPathComponent("cases.json")
        let scriptFile = directory.appendingPathComponent("interop.py")
        try JSONSerialization.data(withJSONObject: input).write(to: casesFile)
        try FastavroScript.source.write(to: scriptFile, atomically: true, encoding: .utf8)

        let output = try run(python, [scriptFile.path, casesFile.path], in: directory)
        let results = try #require(try JSONSerialization.jsonObject(with: output) as? [String: [String: Any]])
        for testCase in cases {
            let result = try #require(results[testCase.name], "no result for \(testCase.name)")
            if let mismatch = result["mismatch"] as? String {
                Issue.record("\(testCase.name): \(mismatch)")
            }
            let writer = try AvroSchema(parsing: testCase.writer)
            let reader = try testCase.reader.map { try AvroSchema(parsing: $0) } ?? writer
            let pythonBytes = try #require(bytes(fromHex: result["pythonHex"] as? String ?? ""))
            #expect(try AvroReader(writer: writer, reader: reader).decode(pythonBytes) == testCase.expected, "\(testCase.name)")
            #expect(result["canonical"] as? String == writer.canonicalForm, "\(testCase.name)")
            // fastavro gives the fingerprint's bytes little-endian, as single-object encoding writes them.
            #expect(result["fingerprint"] as? String == hex(writer.fingerprintBytes), "\(testCase.name)")
        }
    }

    private func run(_ executable: String, _ arguments: [String], in directory: URL) throws -> Data {
        let output = directory.appendingPathComponent("stdout")
        let errors = directory.appendingPathComponent("stderr")
        let status = ChildProcess.run(executable, arguments, standardOutput: output.path, standardError: errors.path)
        guard status == 0 else {
            let message = (try? String(contentsOf: errors, encoding: .utf8)) ?? ""
            throw AvroError(.malformedData, reason: "python exited with \(status.map(String.init) ?? "no status"): \(message)")
        }
        return try Data(contentsOf: output)
    }

    private func hex(_ bytes: [UInt8]) -> String {
        bytes.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
    }

    private func bytes(fromHex text: String) -> [UInt8]? {
        let characters = Array(text.utf8)
        guard characters.count % 2 == 0 else { return nil }
        return stride(from: 0, to: characters.count, by: 2).map { UInt8(String(decoding: characters[$0..<$0 + 2], as: UTF8.self), radix: 16) }
            .reduce(into: [UInt8]?([])) { result, byte in
                if let byte { result?.append(byte) } else { result = nil }
            }
    }
}
