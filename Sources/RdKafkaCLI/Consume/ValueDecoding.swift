import RdKafka

/// A record as `consume` reads it: raw bytes, a `nil` key when none was sent, a `nil` value
/// for a tombstone.
typealias ConsumedRecord = ConsumerRecord<[UInt8], [UInt8]?>

/// A value ready for output.
enum DecodedValue {
    /// The bytes as stored (`nil`: a null value).
    case bytes([UInt8]?)
    /// A JSON document, for values a decoder turned into JSON (embedded as is in `-J` output).
    case json(String)
}

/// Turns a record's value into output: the extension point for schema-aware decoding.
///
/// `consume` uses ``RawValueDecoder`` today. A schema registry product (Avro, Protobuf,
/// JSON Schema) plugs in by conforming to this protocol and being chosen in
/// ``ConsumeCommand/valueDecoder()``; the writers then print its JSON for `%s` and embed it
/// in `-J` lines.
protocol RecordValueDecoder {
    func decode(_ record: ConsumedRecord) throws -> DecodedValue
}

/// The value's bytes, unchanged.
struct RawValueDecoder: RecordValueDecoder {
    func decode(_ record: ConsumedRecord) throws -> DecodedValue { .bytes(record.value) }
}

/// Writes one record to the output, in one of `consume`'s formats.
protocol RecordWriter {
    func write(_ record: ConsumedRecord, value: DecodedValue, to output: OutputStream)
}

/// `--raw`: the values' bytes back to back, nothing else (a null value writes nothing).
struct RawRecordWriter: RecordWriter {
    func write(_ record: ConsumedRecord, value: DecodedValue, to output: OutputStream) {
        switch value {
        case .bytes(let bytes): if let bytes { output.write(bytes) }
        case .json(let text): output.write(text)
        }
    }
}
