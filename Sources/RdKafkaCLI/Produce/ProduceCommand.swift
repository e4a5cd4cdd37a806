import ArgumentParser
import Foundation
import RdKafka

/// `rdkafka produce`: records from stdin or files, like kcat -P and kafka-console-producer.
struct ProduceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "produce",
        abstract: "Send records read from stdin (one per line) or from files (one per file).",
        discussion: """
            Every record read is sent: a last line without a newline is a record too, and
            Ctrl-C stops reading but still delivers what was read. If any record fails, the
            command says how many and exits with 1.

            Examples:
              printf 'a\\nb\\n' | rdkafka produce orders
              printf 'k1:v1\\n' | rdkafka produce -K : -H source=cli orders
              rdkafka produce orders image.png          # the whole file is one record
              rdkafka produce -l orders lines.txt       # one record per line of the file
            """
    )

    @OptionGroup var connection: ConnectionOptions

    @Argument(help: "The topic to send to.")
    var topic: String

    @Argument(help: "Files to send, each as one record (with -l, one record per line); default stdin.", completion: .file())
    var files: [String] = []

    @Flag(name: [.customShort("l"), .customLong("lines")], help: "Send each line of the files as a record.")
    var linesOfFiles = false

    @Option(name: [.customShort("D"), .customLong("delimiter")], help: "The record delimiter in line mode (escapes \\n \\t \\0).")
    var delimiter = "\\n"

    @Option(name: [.customShort("K"), .customLong("key-delimiter")], help: "Split each line at the first occurrence into key and value.")
    var keyDelimiter: String?

    @Option(name: [.customShort("k"), .customLong("key")], help: "The key of every record.")
    var key: String?

    @Option(name: [.customShort("H"), .customLong("header")], help: ArgumentHelp("A header of every record (repeatable).", valueName: "name=value"))
    var headers: [String] = []

    @Option(name: [.customShort("p"), .customLong("partition")], help: "The partition (default: by key, or spread).")
    var partition: Int32?

    @Option(help: "Acknowledgements to wait for: 0, 1 or all.")
    var acks: AcksArgument = .all

    @Flag(help: "Idempotent delivery: no duplicates from retries (needs --acks all).")
    var idempotence = false

    @Option(name: [.customShort("z"), .customLong("compression")], help: "none, gzip, snappy, lz4 or zstd.")
    var compression: CompressionArgument?

    func validate() throws {
        _ = try CommandLineValues.delimiter(delimiter, option: "--delimiter")
        if let keyDelimiter { _ = try CommandLineValues.delimiter(keyDelimiter, option: "--key-delimiter") }
        if keyDelimiter != nil, key != nil { throw ValidationError("--key and --key-delimiter exclude each other") }
        if linesOfFiles, files.isEmpty { throw ValidationError("-l needs files; stdin is read line by line anyway") }
        if let partition, partition < 0 { throw ValidationError("--partition must not be negative") }
        if idempotence, acks != .all { throw ValidationError("--idempotence needs --acks all") }
        for header in headers { _ = try PropertiesFile.parse(assignment: header, origin: "--header") }
    }

    func run() async throws {
        let connection = try connection.connect()
        try await TopicCheck.require([topic], partition: partition, on: connection)
        let template = try RecordTemplate(
            topic: topic,
            partition: partition,
            key: key.map { Array($0.utf8) },
            keyDelimiter: keyDelimiter.map { try CommandLineValues.delimiter($0, option: "--key-delimiter") },
            headers: headers.map { header in
                let (name, value) = try PropertiesFile.parse(assignment: header, origin: "--header")
                return RecordHeader(key: name, value: value)
            }
        )
        var configuration = ProducerConfiguration(bootstrapServers: connection.bootstrapServers, acks: acks.value)
        configuration.client = connection.client()
        configuration.enableIdempotence = idempotence ? true : nil
        configuration.compression = compression?.value
        configuration.linger = .milliseconds(5)
        let producer: KafkaProducer<[UInt8], [UInt8]>
        do {
            producer = try KafkaProducer(configuration: configuration)
        } catch {
            throw CLIFailure(error, while: "configuring the producer")
        }
        let session = ProduceSession(producer: producer, template: template)
        let interrupt = InterruptSignal()
        do {
            if files.isEmpty {
                try await session.sendStream(descriptor: STDIN_FILENO, delimiter: try CommandLineValues.delimiter(delimiter, option: "-D"), interrupt: interrupt)
            } else {
                for file in files where !interrupt.isRequested {
                    try await sendFile(file, session: session, interrupt: interrupt)
                }
            }
        } catch {
            // Whatever was read before the failure is still delivered and counted.
            try? await session.finish()
            throw error
        }
        try await session.finish()
    }

    private func sendFile(_ path: String, session: ProduceSession, interrupt: InterruptSignal) async throws {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { throw CLIFailure("cannot open '\(path)': \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        if linesOfFiles {
            try await session.sendStream(descriptor: descriptor, delimiter: try CommandLineValues.delimiter(delimiter, option: "-D"), interrupt: interrupt)
            return
        }
        guard let contents = FileManager.default.contents(atPath: path) else {
            throw CLIFailure("cannot read '\(path)'")
        }
        await session.send(Array(contents), splittingKey: false)
    }
}

/// `--acks` values.
enum AcksArgument: String, ExpressibleByArgument, CaseIterable {
    case zero = "0", one = "1", all

    var value: ProducerConfiguration.Acks {
        switch self {
        case .zero: return .zero
        case .one: return .one
        case .all: return .all
        }
    }
}

/// `--compression` values.
enum CompressionArgument: String, ExpressibleByArgument, CaseIterable {
    case none, gzip, snappy, lz4, zstd

    var value: ProducerConfiguration.Compression {
        ProducerConfiguration.Compression(rawValue: rawValue) ?? .uncompressed
    }
}
