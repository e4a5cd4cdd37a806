import ArgumentParser
import Foundation
import RdKafka

/// `rdkafka embedded`: an in-process cluster to try the other commands against.
struct EmbeddedCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "embedded",
        abstract: "Run an embedded (librdkafka mock) cluster until Ctrl-C; prints its bootstrap servers.",
        discussion: """
            For demos and trying commands: it keeps records in memory only, and has no topic
            admin (create topics here with --topic). Example:
              rdkafka embedded --topic orders:3 &
              rdkafka produce -b <printed servers> orders
            """
    )

    @Option(help: "Brokers in the cluster.")
    var brokers = 1

    @Option(name: .customLong("topic"), help: ArgumentHelp("A topic to create, with its partition count (repeatable).", valueName: "name[:partitions]"))
    var topics: [String] = []

    func validate() throws {
        guard brokers >= 1 else { throw ValidationError("--brokers must be at least 1") }
        for topic in topics { _ = try Self.parseTopic(topic) }
    }

    static func parseTopic(_ text: String) throws -> (String, Int) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard let name = parts.first, !name.isEmpty, parts.count <= 2 else { throw ValidationError("--topic: expected name[:partitions], got '\(text)'") }
        guard parts.count == 2 else { return (String(name), 1) }
        guard let partitions = Int(parts[1]), partitions >= 1 else { throw ValidationError("--topic: '\(parts[1])' is not a partition count") }
        return (String(name), partitions)
    }

    func run() async throws {
        let interrupt = InterruptSignal()
        let cluster: EmbeddedKafkaCluster
        do { cluster = try EmbeddedKafkaCluster(brokers: brokers) } catch { throw CLIFailure(error, while: "starting the embedded cluster") }
        for topic in topics {
            let (name, partitions) = try Self.parseTopic(topic)
            do {
                try cluster.createTopic(name, partitions: partitions, replicationFactor: min(brokers, 3))
            } catch {
                throw CLIFailure(error, while: "creating topic '\(name)'")
            }
        }
        // Written at once (not through print's buffer): scripts wait for this line.
        let output = OutputStream.standardOutput()
        output.write(cluster.bootstrapServers.joined(separator: ",") + "\n")
        output.flush()
        Diagnostics.line("Embedded cluster running; Ctrl-C stops it.")
        while !interrupt.isRequested {
            try? await Task.sleep(for: .milliseconds(200))
        }
        cluster.shutdown()
    }
}
