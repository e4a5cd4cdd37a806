import RdKafkaAvro

/// Schemas shared by the Avro tests: the seeds' Customer, before and after its evolution, and
/// a record with every type and logical type.
enum AvroFixtures {
    static let customerV1 = """
        {"type": "record", "name": "Customer", "namespace": "com.example",
         "fields": [
           {"name": "id", "type": "long"},
           {"name": "name", "type": "string"},
           {"name": "faxNumber", "type": ["null", "string"], "default": null}
         ]}
        """

    static let customerV2 = """
        {"type": "record", "name": "Customer", "namespace": "com.example",
         "fields": [
           {"name": "id", "type": "long"},
           {"name": "name", "type": "string"},
           {"name": "email", "type": "string", "default": "unknown@example.com"}
         ]}
        """

    static let everything = """
        {"type": "record", "name": "Everything", "namespace": "test.avro", "fields": [
          {"name": "n", "type": "null"},
          {"name": "b", "type": "boolean"},
          {"name": "i", "type": "int"},
          {"name": "l", "type": "long"},
          {"name": "f", "type": "float"},
          {"name": "d", "type": "double"},
          {"name": "by", "type": "bytes"},
          {"name": "s", "type": "string"},
          {"name": "colour", "type": {"type": "enum", "name": "Colour", "symbols": ["RED", "GREEN", "BLUE"], "default": "RED"}},
          {"name": "tags", "type": {"type": "array", "items": "string"}},
          {"name": "scores", "type": {"type": "map", "values": "long"}},
          {"name": "maybe", "type": ["null", "string"], "default": null},
          {"name": "hash", "type": {"type": "fixed", "name": "MD5", "size": 16}},
          {"name": "address", "type": {"type": "record", "name": "Address", "fields": [
            {"name": "street", "type": "string"}, {"name": "zip", "type": "int"}]}},
          {"name": "amount", "type": {"type": "bytes", "logicalType": "decimal", "precision": 9, "scale": 2}},
          {"name": "fixedAmount", "type": {"type": "fixed", "name": "Money", "size": 8, "logicalType": "decimal", "precision": 18, "scale": 4}},
          {"name": "id", "type": {"type": "string", "logicalType": "uuid"}},
          {"name": "fixedId", "type": {"type": "fixed", "name": "UUIDBytes", "size": 16, "logicalType": "uuid"}},
          {"name": "day", "type": {"type": "int", "logicalType": "date"}},
          {"name": "tMillis", "type": {"type": "int", "logicalType": "time-millis"}},
          {"name": "tMicros", "type": {"type": "long", "logicalType": "time-micros"}},
          {"name": "tsMillis", "type": {"type": "long", "logicalType": "timestamp-millis"}},
          {"name": "tsMicros", "type": {"type": "long", "logicalType": "timestamp-micros"}},
          {"name": "tsNanos", "type": {"type": "long", "logicalType": "timestamp-nanos"}},
          {"name": "ltsMillis", "type": {"type": "long", "logicalType": "local-timestamp-millis"}},
          {"name": "ltsMicros", "type": {"type": "long", "logicalType": "local-timestamp-micros"}},
          {"name": "ltsNanos", "type": {"type": "long", "logicalType": "local-timestamp-nanos"}},
          {"name": "span", "type": {"type": "fixed", "name": "Duration", "size": 12, "logicalType": "duration"}},
          {"name": "big", "type": {"type": "bytes", "logicalType": "big-decimal"}}
        ]}
        """

    /// A value of ``everything``; logical types as their underlying values. Computed, not
    /// stored: LeakSanitizer cannot follow the spare-bit pointers of an enum held in a global
    /// and would report it as leaked.
    static var everythingValue: AvroValue { .record([
        "n": .null, "b": .boolean(true), "i": .int(-42), "l": .long(1 << 40), "f": .float(1.5), "d": .double(-2.25),
        "by": .bytes([0, 1, 255]), "s": .string("héllo"), "colour": .enumSymbol("GREEN"),
        "tags": .array([.string("a"), .string("b")]), "scores": .map(["x": .long(7)]),
        "maybe": .union(branch: 1, value: .string("yes")), "hash": .fixed(Array(0..<16)),
        "address": .record(["street": .string("Main St"), "zip": .int(12345)]),
        "amount": .bytes([0x04, 0xD2]),  // 1234 → 12.34
        "fixedAmount": .fixed([0, 0, 0, 0, 0, 0x01, 0xE2, 0x40]),  // 123456 → 12.3456
        "id": .string("123e4567-e89b-12d3-a456-426614174000"), "fixedId": .fixed(Array(repeating: 0xAB, count: 16)),
        "day": .int(19_000), "tMillis": .int(3_600_000), "tMicros": .long(3_600_000_000),
        "tsMillis": .long(1_700_000_000_123), "tsMicros": .long(1_700_000_000_123_456), "tsNanos": .long(1_700_000_000_123_456_789),
        "ltsMillis": .long(1_700_000_000_123), "ltsMicros": .long(1_700_000_000_123_456), "ltsNanos": .long(1_700_000_000_123_456_789),
        "span": .fixed([1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0]), "big": .bytes([0x04, 0xD2, 0x02]),
    ]) }
}
