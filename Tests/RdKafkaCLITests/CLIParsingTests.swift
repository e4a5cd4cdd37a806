import RdKafka
import Testing
@testable import RdKafkaCLI

/// The CLI's pure parts, without a broker: input splitting, format strings, offset specs.
@Suite("rdkafka parsing")
struct CLIParsingTests {
    @Test func splitterKeepsEveryByteAcrossChunks() {
        var splitter = RecordSplitter(delimiter: Array("\r\n".utf8))
        var records = splitter.append(Array("a\r".utf8))
        records += splitter.append(Array("\nb\r\n\r\nc".utf8))
        #expect(records == [Array("a".utf8), Array("b".utf8), []])
        #expect(splitter.finish() == Array("c".utf8))
        #expect(splitter.finish() == nil)
        #expect(splitter.append([]) == [])
    }

    @Test func formatStringCompiles() throws {
        let format = try RecordFormat("%t:%p %% \\t%s")
        #expect(format.tokens == [.topic, .literal(Array(":".utf8)), .partition, .literal(Array(" % \t".utf8)), .value])
        #expect(throws: (any Error).self) { try RecordFormat("%x") }
        #expect(throws: (any Error).self) { try RecordFormat("ends with %") }
        #expect(throws: (any Error).self) { try RecordFormat("\\q") }
    }

    @Test func startOffsets() throws {
        #expect(try StartOffset.parse("beginning") == .beginning)
        #expect(try StartOffset.parse("end") == .end)
        #expect(try StartOffset.parse("42") == .offset(42))
        #expect(try StartOffset.parse("-5") == .beforeEnd(5))
        #expect(try StartOffset.parse("s@1700000000000") == .timestamp(KafkaTimestamp(millisecondsSinceEpoch: 1_700_000_000_000)))
        #expect(try StartOffset.parse("s@2023-11-14T22:13:20Z") == .timestamp(KafkaTimestamp(millisecondsSinceEpoch: 1_700_000_000_000)))
        for bad in ["", "-0", "x", "s@", "s@tomorrow", "1.5"] {
            #expect(throws: (any Error).self, "\(bad)") { try StartOffset.parse(bad) }
        }
        let marks = Watermarks(low: 10, high: 20)
        #expect(StartOffset.beforeEnd(3).resolve(marks) == 17)
        #expect(StartOffset.beforeEnd(30).resolve(marks) == 10)
        #expect(StartOffset.timestamp(.now).resolve(marks, timestampOffset: .some(nil)) == 20)
        #expect(StartOffset.timestamp(.now).resolve(marks, timestampOffset: 12) == 12)
    }

    @Test func topicSelections() throws {
        #expect(try TopicSelection.parse("t") == TopicSelection(topic: "t"))
        #expect(try TopicSelection.parse("t:3") == TopicSelection(topic: "t", partition: 3))
        #expect(try TopicSelection.parse("t:3:-2") == TopicSelection(topic: "t", partition: 3, offset: .beforeEnd(2)))
        #expect(try TopicSelection.parse("t:0:s@2023-11-14T22:13:20Z").offset == .timestamp(KafkaTimestamp(millisecondsSinceEpoch: 1_700_000_000_000)))
        for bad in [":1", "t:-1", "t:x", "t:1:nowhere"] {
            #expect(throws: (any Error).self, "\(bad)") { try TopicSelection.parse(bad) }
        }
    }

    @Test func endOfPartitionsNeedsEveryAssignedPartition() {
        let p0 = TopicPartition(topic: "t", partition: 0)
        let p1 = TopicPartition(topic: "t", partition: 1)
        var tracker = EndOfPartitionTracker()
        #expect(!tracker.isDone(assignment: []))
        tracker.reachedEnd(p0, at: 5)
        // Records before the end, read in the same batch as the end, do not undo it.
        tracker.received(p0, offset: 4)
        #expect(!tracker.isDone(assignment: [p0, p1]))
        tracker.reachedEnd(p1, at: 0)
        #expect(tracker.isDone(assignment: [p0, p1]))
        // A record written after the end was reported means reading is not done.
        tracker.received(p1, offset: 0)
        #expect(!tracker.isDone(assignment: [p0, p1]))
    }

    @Test func resetPlanStaysWithinTheWatermarks() {
        let p0 = TopicPartition(topic: "t", partition: 0)
        let p1 = TopicPartition(topic: "t", partition: 1)
        let marks = [p0: Watermarks(low: 2, high: 10), p1: Watermarks(low: 0, high: 4)]
        let committed: [TopicPartition: Int64] = [p0: 6]
        func plan(_ target: OffsetResetPlan.Target, times: [TopicPartition: Int64?] = [:]) -> [Int64] {
            OffsetResetPlan(target: target, partitions: [p1, p0], committed: committed, watermarks: marks, timeOffsets: times).entries.map(\.new)
        }
        #expect(plan(.earliest) == [2, 0])
        #expect(plan(.latest) == [10, 4])
        #expect(plan(.shift(-10)) == [2, 0])
        #expect(plan(.shift(3)) == [9, 4])
        #expect(plan(.shift(.max)) == [10, 4])
        #expect(plan(.offset(7)) == [7, 4])
        #expect(plan(.datetime(.now), times: [p0: 3, p1: Int64?.none]) == [3, 4])
        let entries = OffsetResetPlan(target: .earliest, partitions: [p0, p1], committed: committed, watermarks: marks).entries
        #expect(entries.map(\.current) == [Int64?(6), nil])
    }

    @Test func propertiesFiles() throws {
        let parsed = try PropertiesFile.parse("# comment\n\nbootstrap.servers = a:1,b:2\nsasl.password=x=y\n", origin: "f")
        #expect(parsed == ["bootstrap.servers": "a:1,b:2", "sasl.password": "x=y"])
        #expect(throws: (any Error).self) { try PropertiesFile.parse("novalue\n", origin: "f") }
        #expect(try CommandLineValues.delimiter("\\t|\\n", option: "-D") == [0x09, UInt8(ascii: "|"), 0x0A])
        #expect(throws: (any Error).self) { try CommandLineValues.delimiter("", option: "-D") }
    }

    @Test func jsonStringsAreEscaped() {
        #expect(JSONRecordWriter.quoted("a\"b\\c\n\u{01}é") == "\"a\\\"b\\\\c\\n\\u0001é\"")
    }
}
