import RdKafka

/// A record as `consume` reads it: raw bytes, a `nil` key when none was sent, a `nil` value
/// for a tombstone.
typealias ConsumedRecord = ConsumerRecord<[UInt8], [UInt8]?>

/// A key or value ready for output.
enum DecodedValue {
    /// The bytes as stored (`nil`: a null key or value).
    case bytes([UInt8]?)
    /// A JSON document, for values a decoder turned into JSON (embedded as is in `-J` output).
    case json(String)
}

/// A record's key and value ready for output.
struct DecodedRecord {
    var key: DecodedValue
    var value: DecodedValue
}

/// Turns a record's key and value into output: the extension point for schema-aware decoding.
///
/// `consume` uses ``RawValueDecoder`` unless `-s` asks for ``SchemaRegistryDecoder``
/// (Avro, JSON Schema, Protobuf through a schema registry); the writers then print its JSON
/// for `%k` and `%s` and embed it in `-J` lines. Decoding may ask a registry, hence async.
protocol RecordValueDecoder {
    func decode(_ record: ConsumedRecord) async throws -> DecodedRecord
}

/// The key's and value's bytes, unchanged.
struct RawValueDecoder: RecordValueDecoder {
    func decode(_ record: ConsumedRecord) async throws -> DecodedRecord {
        DecodedRecord(key: .bytes(record.key), value: .bytes(record.value))
    }
}

/// Writes one record to the output, in one of `consume`'s formats.
protocol RecordWriter {
    func write(_ record: ConsumedRecord, decoded: DecodedRecord, to output: OutputStream)
}

/// `--raw`: the values' bytes back to back, nothing else (a null value writes nothing).
struct RawRecordWriter: RecordWriter {
    func write(_ record: ConsumedRecord, decoded: DecodedRecord, to output: OutputStream) {
        decoded.value.write(to: output)
    }
}

extension DecodedValue {
    /// The bytes, or the JSON text; nothing for a null.
    func write(to output: OutputStream) {
        switch self {
        case .bytes(let bytes): if let bytes { output.write(bytes) }
        case .json(let text): output.write(text)
        }
    }
}
