import Foundation
import RdKafka
import Testing

/// `rdkafka produce | rdkafka consume` gives back exactly what went in.
@Suite("produce and consume round trips")
struct ProduceConsumeRoundTripTests {
    @Test func linesRoundTripByteForByte() async throws {
        let cluster = try TestCluster.make()
        let topic = try cluster.createTopic()
        // Empty lines, tabs, carriage returns, multi-byte UTF-8 and bytes that are not UTF-8.
        var input = Array("first\n\nwith\ttab\r\nünïcödé ✓\n".utf8) + [0xC3, 0x28, 0xFF] + Array("\n".utf8)
        for index in 0..<2_000 { input += Array("record \(index)\n".utf8) }
        let produced = try await CLIProcess.run(["produce"] + cluster.brokerArguments + [topic], stdin: input)
        #expect(produced.status == 0, "stderr: \(produced.stderr)")
        #expect(produced.stdout.isEmpty)
        let consumed = try await CLIProcess.run(["consume"] + cluster.brokerArguments + ["-o", "beginning", "-e", topic])
        #expect(consumed.status == 0, "stderr: \(consumed.stderr)")
        #expect(consumed.stdout == input)
    }

    @Test func keysAndHeadersRoundTrip() async throws {
        let cluster = try TestCluster.make()
        let topic = try cluster.createTopic()
        let input = Array("a:1\nb:2:with colon\nno key\n:empty key\n".utf8)
        let produced = try await CLIProcess.run(["produce"] + cluster.brokerArguments + ["-K", ":", "-H", "source=cli", "-H", "n=2", topic], stdin: input)
        #expect(produced.status == 0, "stderr: \(produced.stderr)")
        let consumed = try await CLIProcess.run(["consume"] + cluster.brokerArguments + ["-o", "beginning", "-e", "-f", "%K|%k|%s|%h\\n", topic])
        #expect(consumed.output == "1|a|1|source=cli,n=2\n1|b|2:with colon|source=cli,n=2\n-1||no key|source=cli,n=2\n0||empty key|source=cli,n=2\n")
    }

    @Test func wholeFileIsOneRecord() async throws {
        let cluster = try TestCluster.make()
        let topic = try cluster.createTopic()
        let bytes = (0..<4).flatMap { _ in (0...255).map { UInt8($0) } }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("rdkafka-cli-\(UUID().uuidString).bin")
        try Data(bytes).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let produced = try await CLIProcess.run(["produce"] + cluster.brokerArguments + [topic, file.path])
        #expect(produced.status == 0, "stderr: \(produced.stderr)")
        let consumed = try await CLIProcess.run(["consume"] + cluster.brokerArguments + ["-o", "beginning", "-e", "--raw", topic])
        #expect(consumed.status == 0, "stderr: \(consumed.stderr)")
        #expect(consumed.stdout == bytes)
        let count = try await CLIProcess.run(["consume"] + cluster.brokerArguments + ["-o", "beginning", "-e", "-f", "%S\\n", topic])
        #expect(count.output == "1024\n")
    }

    @Test func lastLineWithoutNewlineIsSent() async throws {
        let cluster = try TestCluster.make()
        let topic = try cluster.createTopic()
        let produced = try await CLIProcess.run(["produce"] + cluster.brokerArguments + ["-D", ";", topic], stdin: Array("x;y;last".utf8))
        #expect(produced.status == 0, "stderr: \(produced.stderr)")
        let consumed = try await CLIProcess.run(["consume"] + cluster.brokerArguments + ["-o", "beginning", "-e", "-f", "%s,", topic])
        #expect(consumed.output == "x,y,last,")
    }

    @Test func failedRecordsAreCountedAndTheRestDelivered() async throws {
        let cluster = try TestCluster.make()
        let topic = try cluster.createTopic()
        let big = String(repeating: "x", count: 5_000)
        let produced = try await CLIProcess.run(
            ["produce"] + cluster.brokerArguments + ["-X", "message.max.bytes=2000", topic],
            stdin: Array("small\n\(big)\nalso small\n".utf8)
        )
        #expect(produced.status == 1)
        #expect(produced.stderr.contains("1 of 3 records failed"), "stderr: \(produced.stderr)")
        let consumed = try await CLIProcess.run(["consume"] + cluster.brokerArguments + ["-o", "beginning", "-e", topic])
        #expect(consumed.output == "small\nalso small\n")
    }

    @Test func groupConsumeCommitsWhatItPrinted() async throws {
        let cluster = try TestCluster.make()
        let topic = try cluster.createTopic(partitions: 2)
        let group = "cli-group-\(UUID().uuidString.prefix(8))"
        _ = try await CLIProcess.run(["produce"] + cluster.brokerArguments + [topic], stdin: Array("1\n2\n3\n4\n5\n".utf8))
        // The embedded cluster lets a second member in only after about the session timeout;
        // on a real broker the default holds (a short one expires on a loaded machine).
        let session = TestCluster.isReal ? [] : ["-X", "session.timeout.ms=6000"]
        let consumed = try await CLIProcess.run(["consume"] + cluster.brokerArguments + session + ["-G", group, "-o", "beginning", "-e", topic])
        #expect(consumed.status == 0, "stderr: \(consumed.stderr)")
        #expect(consumed.output.split(separator: "\n").sorted() == ["1", "2", "3", "4", "5"])
        let lag = try await CLIProcess.run(["lag"] + cluster.brokerArguments + [group, "--topic", topic])
        #expect(lag.status == 0, "stderr: \(lag.stderr)")
        #expect(lag.output.hasSuffix("TOTAL LAG 0\n"), "\(lag.output)")
        // Committed: the group starts after what it printed. (-o beginning applies only to a
        // partition the group never read, which may be where the new record lands.)
        _ = try await CLIProcess.run(["produce"] + cluster.brokerArguments + [topic], stdin: Array("6\n".utf8))
        let again = try await CLIProcess.run(["consume"] + cluster.brokerArguments + session + ["-G", group, "-o", "beginning", "-e", topic])
        #expect(again.output == "6\n", "stderr: \(again.stderr)")
    }
}
