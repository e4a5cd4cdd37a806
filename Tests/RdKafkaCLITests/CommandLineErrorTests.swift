import Foundation
import Testing

/// Bad input gets one line on stderr and the documented exit code, never a stack trace.
@Suite("errors and exit codes")
struct CommandLineErrorTests {
    private func expectOneLine(_ result: CLIResult, status: Int32, containing text: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(result.status == status, "stderr: \(result.stderr)", sourceLocation: sourceLocation)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1, "stderr: \(result.stderr)", sourceLocation: sourceLocation)
        #expect(result.stderr.hasPrefix("rdkafka: "), sourceLocation: sourceLocation)
        #expect(result.stderr.contains(text), "stderr: \(result.stderr)", sourceLocation: sourceLocation)
        #expect(result.stdout.isEmpty, sourceLocation: sourceLocation)
    }

    @Test func usageErrorsExitWithTwo() async throws {
        expectOneLine(try await CLIProcess.run(["consume", "-b", "127.0.0.1:1"]), status: 2, containing: "topic")
        expectOneLine(try await CLIProcess.run(["consume", "-b", "127.0.0.1:1", "-o", "yesterday", "t"]), status: 2, containing: "yesterday")
        expectOneLine(try await CLIProcess.run(["consume", "-b", "127.0.0.1:1", "-f", "%q", "t"]), status: 2, containing: "%q")
        expectOneLine(try await CLIProcess.run(["consume", "-b", "127.0.0.1:1", "t:x:1"]), status: 2, containing: "partition")
        expectOneLine(try await CLIProcess.run(["produce", "-b", "127.0.0.1:1", "-X", "novalue", "t"]), status: 2, containing: "property=value")
        expectOneLine(try await CLIProcess.run(["frobnicate"]), status: 2, containing: "frobnicate")
        expectOneLine(try await CLIProcess.run(["consume", "t"]), status: 2, containing: "KAFKA_BOOTSTRAP_SERVERS")
        expectOneLine(
            try await CLIProcess.run(["groups", "reset-offsets", "-b", "127.0.0.1:1", "g", "--topic", "t", "--to-earliest", "--to-latest"]),
            status: 2,
            containing: "exactly one"
        )
    }

    @Test func unreachableBrokerExitsWithOne() async throws {
        let started = ContinuousClock.now
        expectOneLine(try await CLIProcess.run(["consume", "-b", "127.0.0.1:1", "--timeout", "2", "t"]), status: 1, containing: "cannot reach")
        expectOneLine(try await CLIProcess.run(["produce", "-b", "127.0.0.1:1", "--timeout", "2", "t"], stdin: Array("lost?\n".utf8)), status: 1, containing: "cannot reach")
        // Bounded by --timeout, not by librdkafka's minutes-long defaults (generous: the machine is shared).
        #expect(started.duration(to: .now) < .seconds(40))
    }

    @Test func unknownTopicExitsWithOne() async throws {
        let cluster = try TestCluster.make()
        let missing = "missing-\(UUID().uuidString.prefix(8))"
        expectOneLine(try await CLIProcess.run(["consume"] + cluster.brokerArguments + ["-e", missing]), status: 1, containing: "unknown topic '\(missing)'")
        expectOneLine(try await CLIProcess.run(["produce"] + cluster.brokerArguments + [missing], stdin: Array("x\n".utf8)), status: 1, containing: "unknown topic")
        let topic = try cluster.createTopic()
        expectOneLine(try await CLIProcess.run(["consume"] + cluster.brokerArguments + ["-e", "\(topic):7"]), status: 1, containing: "no partition 7")
    }

    @Test func helpAndCompletionsExitWithZero() async throws {
        let help = try await CLIProcess.run(["consume", "--help"])
        #expect(help.status == 0)
        #expect(help.output.contains("Examples:"))
        let completions = try await CLIProcess.run(["--generate-completion-script", "bash"])
        #expect(completions.status == 0)
        #expect(completions.output.contains("rdkafka"))
    }

    @Test func propertiesFileAndEnvironment() async throws {
        let cluster = try TestCluster.make()
        let topic = try cluster.createTopic()
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("rdkafka-cli-\(UUID().uuidString).properties")
        try "# test\nbootstrap.servers=\(cluster.bootstrapServers.joined(separator: ","))\nclient.id = from-file\n".write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let produced = try await CLIProcess.run(["produce", "-F", file.path, topic], stdin: Array("via file\n".utf8))
        #expect(produced.status == 0, "stderr: \(produced.stderr)")
        let consumed = try await CLIProcess.run(
            ["consume", "-o", "beginning", "-e", topic],
            environment: ["KAFKA_BOOTSTRAP_SERVERS": cluster.bootstrapServers.joined(separator: ",")]
        )
        #expect(consumed.output == "via file\n", "stderr: \(consumed.stderr)")
    }
}
