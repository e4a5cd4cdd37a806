import Foundation
import RdKafkaAvro
import RdKafka

/// `-J`: one JSON object per record and line.
///
/// `{"topic":"t","partition":0,"offset":7,"timestamp":1764756000000,"key":"k","value":"v","headers":[{"key":"h","value":"x"}]}`
/// Keys, values and header values are JSON strings when they are valid UTF-8, `null` when
/// null, and otherwise base64, flagged by `"keyEncoding":"base64"` / `"valueEncoding":"base64"`
/// (`"encoding":"base64"` in a header), so no byte is lost. A key or value decoded with `-s`
/// is its JSON document, embedded as is.
struct JSONRecordWriter: RecordWriter {
    func write(_ record: ConsumedRecord, decoded: DecodedRecord, to output: OutputStream) {
        var line = "{\"topic\":" + Self.quoted(record.topic)
        line += ",\"partition\":\(record.partition),\"offset\":\(record.offset)"
        line += ",\"timestamp\":" + (record.timestamp.map { String($0.millisecondsSinceEpoch) } ?? "null")
        line += ",\"key\":" + Self.field(decoded.key, encodingName: "keyEncoding")
        line += ",\"value\":" + Self.field(decoded.value, encodingName: "valueEncoding")
        line += ",\"headers\":["
        for (index, header) in record.headers.enumerated() {
            if index > 0 { line += "," }
            line += "{\"key\":" + Self.quoted(header.key) + ",\"value\":" + Self.bytesField(header.value, encodingName: "encoding") + "}"
        }
        line += "]}\n"
        output.write(line)
    }

    /// A key or value: decoded JSON as is, bytes as ``bytesField(_:encodingName:)`` writes them.
    private static func field(_ value: DecodedValue, encodingName: String) -> String {
        switch value {
        case .bytes(let bytes): bytesField(bytes, encodingName: encodingName)
        case .json(let text): text
        }
    }

    /// The value, and when it is not UTF-8 a following `"name":"base64"` member.
    private static func bytesField(_ bytes: [UInt8]?, encodingName: String) -> String {
        guard let bytes else { return "null" }
        if let text = String(validating: bytes, as: UTF8.self) { return quoted(text) }
        return "\"" + Data(bytes).base64EncodedString() + "\",\"\(encodingName)\":\"base64\""
    }

    /// A JSON string literal: quotes, backslashes and control characters escaped.
    static func quoted(_ text: String) -> String { JSONValue.quoted(text) }
}
