@testable import RdKafka
import Testing

@Suite("Topic names: the fast check agrees with Kafka's rule")
struct TopicNameTests {
    @Test("every byte is judged as the rule says: ASCII letters, digits, '.', '_' and '-'")
    func everyByte() {
        for byte in UInt8.min...UInt8.max {
            let character = Character(Unicode.Scalar(byte))
            let rule = character.isASCII && (character.isLetter || character.isNumber) || "._-".contains(character)
            #expect(TopicName.isLegal(byte) == rule, "byte \(byte)")
        }
    }

    @Test("names: legal ones pass, illegal ones are explained")
    func names() {
        for legal in ["t", "orders", "a.b_c-D9", "...", String(repeating: "t", count: 249)] {
            #expect(TopicName.problem(with: legal) == nil, "\(legal.prefix(20))")
        }
        for illegal in ["", ".", "..", "bad topic", "ümlaut", "tab\t", String(repeating: "t", count: 250)] {
            #expect(TopicName.problem(with: illegal) != nil, "\(illegal.prefix(20))")
        }
    }

    @Test("the remembered topic spares the scan but never admits an illegal name")
    func knownTopic() {
        let known = KnownTopicName()
        #expect(known.problem(with: "") != nil)
        #expect(known.problem(with: "orders") == nil)
        #expect(known.problem(with: String("orders".reversed().reversed())) == nil)
        #expect(known.problem(with: "bad topic") != nil)
        #expect(known.problem(with: "payments") == nil)
        #expect(known.problem(with: "..") != nil)
    }
}
