@testable import RdKafka
import Testing

@Suite("KafkaError: a value, whatever its storage")
struct KafkaErrorTests {
    @Test("a copy changed after the fact leaves the original as it was")
    func copiesAreIndependent() {
        let original = KafkaError(code: .messageSizeTooLarge, message: "too large", topic: "orders")
        var copy = original
        copy.message = "changed"
        copy.topic = nil
        copy.partition = 3
        copy.isFatal = true
        #expect(original.message == "too large")
        #expect(original.topic == "orders")
        #expect(original.partition == nil)
        #expect(!original.isFatal)
        #expect(copy.message == "changed" && copy.topic == nil && copy.partition == 3 && copy.isFatal)
    }

    @Test("concerning(topic:partition:offset:) fills in only what is missing, on a copy")
    func concerningFillsGaps() {
        let original = KafkaError(code: .unknownTopicOrPartition, message: "unknown", partition: 1)
        let filled = original.concerning(topic: "orders", partition: 7, offset: 42)
        #expect(filled.topic == "orders" && filled.partition == 1 && filled.offset == 42)
        #expect(original.topic == nil && original.offset == nil)
        #expect(filled.description.contains("topic=orders") && filled.description.contains("offset=42"))
    }
}
