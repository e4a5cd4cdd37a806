import RdKafka

/// A failure reported as one line on stderr with exit code 1: the command was well formed
/// but could not be carried out (unreachable broker, unknown topic, a record not delivered).
struct CLIFailure: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) {
        self.description = description
    }

    /// `error` as one line, prefixed by what was being done. A failure already explained
    /// keeps its own words.
    init(_ error: any Error, while doing: String) {
        switch error {
        case let failure as CLIFailure: self = failure
        case let kafka as KafkaError: self.description = "\(doing): \(kafka.oneLine)"
        default: self.description = "\(doing): \(String(describing: error).split(whereSeparator: \.isNewline).joined(separator: " "))"
        }
    }
}

extension KafkaError {
    /// The message and code on one line, without the Swift type name; librdkafka messages
    /// may carry newlines, which would break the one-line promise.
    var oneLine: String {
        let flattened = message.split(whereSeparator: \.isNewline).joined(separator: " ")
        var context: [String] = []
        if let topic { context.append("topic \(topic)") }
        if let partition { context.append("partition \(partition)") }
        if let offset { context.append("offset \(offset)") }
        if let property { context.append("property \(property)") }
        let suffix = context.isEmpty ? "" : ", " + context.joined(separator: ", ")
        return "\(flattened) (\(code.name)\(suffix))"
    }
}
