import ArgumentParser
import Foundation
import RdKafka
import RdKafkaSchemaRegistry

/// `rdkafka consume`: records to stdout, like kcat -C and kafka-console-consumer.
struct ConsumeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "consume",
        abstract: "Print records of topics or partitions, in a group or standalone.",
        discussion: """
            Without -G the partitions are read standalone (nothing is committed); with -G the
            topics are read as a member of that group, which commits what was printed unless
            --no-commit is given.

            Offsets (-o, or topic:partition:offset): beginning, end, stored, an offset, -N
            (N before the end), s@<ms since epoch or ISO 8601 time>. In a group, -o applies
            only where the group has no committed offset (beginning or end).

            Format (-f): %t topic, %p partition, %o offset, %k key, %K key length, %s value,
            %S value length, %T timestamp (ms), %h headers, %% percent; \\n \\t \\r \\0 escapes.

            Schema registry (-s with -r): keys and values written by Confluent
            serializers are decoded with their writer's schema: Avro to its JSON
            encoding, JSON Schema to its JSON, Protobuf to hex (no decoding without
            generated types). A record that cannot be decoded is reported on stderr
            and skipped; the exit status is then 1.

            Examples:
              rdkafka consume -o beginning -e orders
              rdkafka consume -f '%t/%p@%o %k=%s\\n' orders:0:42
              rdkafka consume -G billing -J orders refunds
              rdkafka consume --raw -c 1 images:0:-1 > last.png
              rdkafka consume -s value=avro -r http://localhost:8081 -J orders
            """
    )

    @OptionGroup var connection: ConnectionOptions

    @Argument(help: ArgumentHelp("Topics, topic:partition, or topic:partition:offset.", valueName: "topic"))
    var topics: [String]

    @Option(name: [.customShort("G"), .customLong("group")], help: "Read as a member of this consumer group.")
    var group: String?

    // Unconditional: -o -10 (ten before the end) is not an option.
    @Option(name: [.customShort("o"), .customLong("offset")], parsing: .unconditional, help: "Where to start (default: end).")
    var offset = "end"

    @Option(name: [.customShort("c"), .customLong("count")], help: "Stop after this many records.")
    var count: Int?

    @Flag(name: [.customShort("e"), .customLong("exit-at-end")], help: "Stop when every partition has been read to its end.")
    var exitAtEnd = false

    @Option(name: [.customShort("f"), .customLong("format")], help: "Output format string (see above).")
    var format: String?

    @Flag(name: [.customShort("J"), .customLong("json")], help: "One JSON object per record and line.")
    var json = false

    @Flag(help: "The values' bytes only, back to back.")
    var raw = false

    @Option(name: [.customShort("K"), .customLong("key-delimiter")], help: "Print the key, this delimiter, then the value.")
    var keyDelimiter: String?

    @Option(name: [.customShort("D"), .customLong("delimiter")], help: "What ends each record in the default format (default \\n).")
    var delimiter = "\\n"

    @Flag(help: "In a group: do not commit offsets.")
    var noCommit = false

    @OptionGroup(title: "Schema registry") var schemaRegistry: SchemaRegistryOptions

    func validate() throws {
        guard !topics.isEmpty else { throw ValidationError("name at least one topic") }
        let selections = try topics.map(TopicSelection.parse)
        let start = try StartOffset.parse(offset)
        if [format != nil, json, raw].filter({ $0 }).count > 1 { throw ValidationError("-f, -J and --raw exclude each other") }
        if keyDelimiter != nil, format != nil || json || raw { throw ValidationError("-K is for the default format; put %k in -f instead") }
        if let count, count <= 0 { throw ValidationError("--count must be positive") }
        _ = try CommandLineValues.delimiter(delimiter, option: "--delimiter")
        if let keyDelimiter { _ = try CommandLineValues.delimiter(keyDelimiter, option: "--key-delimiter") }
        _ = try writer()
        if group != nil {
            if selections.contains(where: { $0.partition != nil }) {
                throw ValidationError("topic:partition needs standalone reading: drop -G")
            }
            if ![.beginning, .end, .stored].contains(start) {
                throw ValidationError("in a group, -o is beginning, end or stored (where the group has no committed offset)")
            }
        } else {
            if start == .stored || selections.contains(where: { $0.offset == .stored }) {
                throw ValidationError("-o stored needs a group (-G)")
            }
            if noCommit { throw ValidationError("--no-commit is for group reading; standalone reading never commits") }
        }
    }

    /// The writer the output options ask for.
    func writer() throws -> any RecordWriter {
        if json { return JSONRecordWriter() }
        if raw { return RawRecordWriter() }
        if let format { return try RecordFormat(format) }
        var tokens: [RecordFormat.Token] = [.value, .literal(try CommandLineValues.delimiter(delimiter, option: "--delimiter"))]
        if let keyDelimiter {
            tokens.insert(contentsOf: [.key, .literal(try CommandLineValues.delimiter(keyDelimiter, option: "--key-delimiter"))], at: 0)
        }
        return RecordFormat(tokens: tokens)
    }

    /// The decoder: through the schema registry with `-s`, else the raw bytes.
    func valueDecoder() throws -> any RecordValueDecoder {
        guard let configuration = try schemaRegistry.configuration() else { return RawValueDecoder() }
        return SchemaRegistryDecoder(registry: SchemaRegistryClient(configuration: configuration), selection: try schemaRegistry.selection())
    }

    func run() async throws {
        let decoder = try valueDecoder()
        let connection = try connection.connect()
        let selections = try topics.map(TopicSelection.parse)
        let start = try StartOffset.parse(offset)
        let topicNames = Array(Set(selections.map(\.topic))).sorted()
        let ends = EndTracking()
        var configuration = ConsumerConfiguration(bootstrapServers: connection.bootstrapServers)
        configuration.client = connection.client()
        if let group {
            configuration.groupID = group
            configuration.autoOffsetReset = start == .beginning ? .earliest : .latest
            configuration.enableAutoCommit = !noCommit
        } else {
            // Standalone: no group, so nothing is committed; assigned partitions start where
            // -o says.
            configuration.autoOffsetReset = .earliest
        }
        if exitAtEnd {
            configuration.enablePartitionEOF = true
            configuration.onPartitionEOF = { end in ends.reachedEnd(end.topicPartition, at: end.offset) }
        }
        // The topics are checked before the consumer exists: closing a consumer that never
        // reached the cluster would add its own wait to the error.
        let consumer = try await connection.withAdmin { admin in
            let counts = try await TopicCheck.require(topicNames, admin: admin, connection: connection)
            let consumer: KafkaConsumer<[UInt8], [UInt8]?>
            do {
                consumer = try KafkaConsumer(configuration: configuration, keyDeserializer: .bytes, valueDeserializer: .optional(.bytes))
            } catch {
                throw CLIFailure(error, while: "configuring the consumer")
            }
            do {
                if group == nil {
                    let plan = try await StartPositions.resolve(selections, defaultStart: start, partitionCounts: counts, admin: admin, consumer: consumer)
                    do { try consumer.assign(plan) } catch { throw CLIFailure(error, while: "assigning partitions") }
                } else {
                    do { try consumer.subscribe(topics: topicNames) } catch { throw CLIFailure(error, while: "subscribing") }
                }
            } catch {
                await consumer.close()
                throw error
            }
            return consumer
        }
        let session = ConsumeSession(
            consumer: consumer,
            writer: try writer(),
            decoder: decoder,
            limit: count,
            ends: exitAtEnd ? ends : nil
        )
        try await session.run(interrupt: InterruptSignal())
    }
}
