/// Reads a node's `logicalType` attribute. A logical type that is unknown, on the wrong
/// underlying type or with invalid parameters is ignored: the specification says to read
/// the data as the underlying type then.
enum LogicalTypeParser {
    static func logicalType(of node: SchemaNode, in nodes: [SchemaNode]) -> AvroLogicalType? {
        let properties = node.extraProperties
        guard let name = properties.first(where: { $0.key == "logicalType" })?.value.stringValue else { return nil }
        switch (name, node.kind) {
        case ("decimal", .bytes):
            return decimal(properties, maximumPrecision: Int.max)
        case ("decimal", .fixed(let fixed)):
            return decimal(properties, maximumPrecision: maximumPrecision(fixedSize: fixed.size))
        case ("big-decimal", .bytes): return .bigDecimal
        case ("uuid", .string): return .uuid
        case ("uuid", .fixed(let fixed)) where fixed.size == 16: return .uuid
        case ("date", .int): return .date
        case ("time-millis", .int): return .timeMillis
        case ("time-micros", .long): return .timeMicros
        case ("timestamp-millis", .long): return .timestampMillis
        case ("timestamp-micros", .long): return .timestampMicros
        case ("timestamp-nanos", .long): return .timestampNanos
        case ("local-timestamp-millis", .long): return .localTimestampMillis
        case ("local-timestamp-micros", .long): return .localTimestampMicros
        case ("local-timestamp-nanos", .long): return .localTimestampNanos
        case ("duration", .fixed(let fixed)) where fixed.size == 12: return .duration
        default: return nil
        }
    }

    private static func decimal(_ properties: [(key: String, value: JSONValue)], maximumPrecision: Int) -> AvroLogicalType? {
        guard let precision = properties.first(where: { $0.key == "precision" })?.value.integerValue,
            precision > 0, precision <= maximumPrecision
        else { return nil }
        let scaleJSON = properties.first(where: { $0.key == "scale" })?.value
        let scale = scaleJSON == nil ? 0 : scaleJSON?.integerValue
        guard let scale, scale >= 0, scale <= precision else { return nil }
        return .decimal(precision: Int(precision), scale: Int(scale))
    }

    /// The most decimal digits a two's-complement number of `fixedSize` bytes always holds:
    /// floor(log10(2^(8n-1) - 1)).
    static func maximumPrecision(fixedSize: Int) -> Int {
        guard fixedSize > 0 else { return 0 }
        // Beyond a megabyte the bound exceeds any precision a schema can state; capped so the
        // arithmetic below cannot overflow.
        let fixedSize = min(fixedSize, 1 << 20)
        // log10(2) × (8n - 1), floored, in integers (log10(2) ≈ 0.30102999566).
        return (8 * fixedSize - 1) * 30_102_999_566 / 100_000_000_000
    }
}
