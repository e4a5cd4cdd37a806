import Foundation
import RdKafka
import Testing

/// Golden output of `consume` in each format, from the built binary.
@Suite("consume output formats")
struct ConsumeOutputFormatTests {
    private func consume(_ arguments: [String]) async throws -> (topic: String, result: CLIResult) {
        let cluster = try TestCluster.make()
        let topic = try await GoldenRecords.topic(on: cluster)
        let result = try await CLIProcess.run(["consume"] + cluster.brokerArguments + ["-o", "beginning", "-e"] + arguments + [topic])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        return (topic, result)
    }

    @Test func formatString() async throws {
        let (topic, result) = try await consume(["-f", "%t|%p|%o|%T|%k|%K|%s|%S|%h\\n"])
        var expected = Array("\(topic)|0|0|1700000000000|k1|2|hello|5|h1=v1,h2\n".utf8)
        expected += Array("\(topic)|0|1|1700000000001||-1|with\ttab \"quoted\"|17|\n".utf8)
        expected += Array("\(topic)|0|2|1700000000002|k3|2|".utf8) + [0xFF, 0xFE] + Array("|2|\n".utf8)
        expected += Array("\(topic)|0|3|1700000000003|k4|2||-1|\n".utf8)
        #expect(result.stdout == expected)
    }

    @Test func jsonLines() async throws {
        let (topic, result) = try await consume(["-J"])
        let expected = """
            {"topic":"\(topic)","partition":0,"offset":0,"timestamp":1700000000000,"key":"k1","value":"hello","headers":[{"key":"h1","value":"v1"},{"key":"h2","value":null}]}
            {"topic":"\(topic)","partition":0,"offset":1,"timestamp":1700000000001,"key":null,"value":"with\\ttab \\"quoted\\"","headers":[]}
            {"topic":"\(topic)","partition":0,"offset":2,"timestamp":1700000000002,"key":"k3","value":"//4=","valueEncoding":"base64","headers":[]}
            {"topic":"\(topic)","partition":0,"offset":3,"timestamp":1700000000003,"key":"k4","value":null,"headers":[]}

            """
        #expect(result.output == expected)
        // Every line is a JSON object a standard parser accepts.
        for line in result.output.split(separator: "\n") {
            #expect(try JSONSerialization.jsonObject(with: Data(line.utf8)) is [String: Any])
        }
    }

    @Test func rawBytes() async throws {
        let (_, result) = try await consume(["--raw"])
        #expect(result.stdout == Array("hello".utf8) + Array("with\ttab \"quoted\"".utf8) + [0xFF, 0xFE])
    }

    @Test func defaultFormatWithKeyDelimiter() async throws {
        let (_, result) = try await consume(["-K", ":"])
        let expected = Array("k1:hello\n:with\ttab \"quoted\"\nk3:".utf8) + [0xFF, 0xFE] + Array("\nk4:\n".utf8)
        #expect(result.stdout == expected)
    }

    @Test func countAndPartitionOffset() async throws {
        let cluster = try TestCluster.make()
        let topic = try await GoldenRecords.topic(on: cluster)
        let result = try await CLIProcess.run(["consume"] + cluster.brokerArguments + ["-c", "2", "-f", "%o\\n", "\(topic):0:1"])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.output == "1\n2\n")
        // Two before the end.
        let tail = try await CLIProcess.run(["consume"] + cluster.brokerArguments + ["-e", "-o", "-2", "-f", "%o\\n", topic])
        #expect(tail.output == "2\n3\n")
    }

    @Test(.enabled(if: TestCluster.isReal, "the embedded cluster does not look up offsets by time"))
    func startAtTimestamp() async throws {
        let cluster = try TestCluster.make()
        let topic = try await GoldenRecords.topic(on: cluster)
        let result = try await CLIProcess.run(["consume"] + cluster.brokerArguments + ["-e", "-o", "s@1700000000002", "-f", "%o\\n", topic])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.output == "2\n3\n")
        let iso = try await CLIProcess.run(["consume"] + cluster.brokerArguments + ["-e", "-f", "%o\\n", "\(topic):0:s@2023-11-14T22:13:20.003Z"])
        #expect(iso.output == "3\n", "stderr: \(iso.stderr)")
    }
}
