import Foundation

/// The keyed container over a record's fields or a map's entries.
struct AvroKeyedDecodingContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    enum Schema {
        case record(RecordSchema)
        case map(Int)
    }

    /// The container's state behind one reference: the standard library copies the
    /// container per call, and a struct of several references would cost a retain each.
    final class Frame {
        let decoder: AvroValueDecoder
        let fields: [AvroRecord.Field]
        let schema: Schema
        /// Where the next key is looked for first: synthesized `Decodable` asks in
        /// declaration order, which is usually the schema's.
        var cursor = 0

        init(decoder: AvroValueDecoder, fields: [AvroRecord.Field], schema: Schema) {
            self.decoder = decoder
            self.fields = fields
            self.schema = schema
        }
    }

    let frame: Frame

    init(decoder: AvroValueDecoder, fields: [AvroRecord.Field], schema: Schema) {
        frame = Frame(decoder: decoder, fields: fields, schema: schema)
    }

    var decoder: AvroValueDecoder { frame.decoder }
    var codingPath: [any CodingKey] { frame.decoder.codingPath }
    var allKeys: [Key] { frame.fields.compactMap { Key(stringValue: $0.name) } }

    private func position(of key: Key) -> Int? {
        let name = key.stringValue
        let fields = frame.fields
        let hint = frame.cursor
        if hint < fields.count, fields[hint].name == name {
            frame.cursor = hint + 1
            return hint
        }
        guard let found = fields.firstIndex(where: { $0.name == name }) else { return nil }
        frame.cursor = found + 1
        return found
    }

    func contains(_ key: Key) -> Bool {
        position(of: key) != nil
    }

    private func child(_ key: Key) throws -> AvroValueDecoder {
        guard let position = position(of: key) else {
            var path = decoder
            path.codingPath.append(key)
            throw path.failure("the value has no field \(key.stringValue)")
        }
        let node: Int
        switch frame.schema {
        case .record(let record):
            // A decoded value lists the reader's fields in schema order.
            if position < record.fields.count, record.fields[position].name == key.stringValue {
                node = record.fields[position].type
            } else if let fieldPosition = record.fieldIndex[key.stringValue] {
                node = record.fields[fieldPosition].type
            } else {
                throw decoder.failure("the schema has no field \(key.stringValue)")
            }
        case .map(let valuesNode):
            node = valuesNode
        }
        return decoder.child(frame.fields[position].value, node: node, key: key)
    }

    func decodeNil(forKey key: Key) throws -> Bool {
        guard contains(key) else { return true }
        let child = try child(key)
        if case .null = child.value { return true }
        return false
    }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        try child(key).decodeValue(type)
    }

    // Primitives read the field's value directly, without a child decoder; the slow path
    // (with its coding path) runs only to report an error.
    private func plain(_ key: Key) -> AvroValue? {
        guard let position = position(of: key) else { return nil }
        return frame.fields[position].value.unwrapped
    }

    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool {
        if case .boolean(let value)? = plain(key) { return value }
        return try child(key).decodeValue(type)
    }

    func decode(_ type: String.Type, forKey key: Key) throws -> String {
        if case .string(let value)? = plain(key) { return value }
        return try child(key).decodeValue(type)
    }

    func decode(_ type: Double.Type, forKey key: Key) throws -> Double {
        if case .double(let value)? = plain(key) { return value }
        return try child(key).decodeValue(type)
    }

    func decode(_ type: Float.Type, forKey key: Key) throws -> Float {
        if case .float(let value)? = plain(key) { return value }
        return try child(key).decodeValue(type)
    }

    func decode(_ type: Int.Type, forKey key: Key) throws -> Int {
        switch plain(key) {
        case .int(let value)?: return Int(value)
        case .long(let value)?: return Int(value)
        default: return try child(key).decodeValue(type)
        }
    }

    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 {
        if case .int(let value)? = plain(key) { return value }
        return try child(key).decodeValue(type)
    }

    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 {
        switch plain(key) {
        case .int(let value)?: return Int64(value)
        case .long(let value)?: return value
        default: return try child(key).decodeValue(type)
        }
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        try child(key).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try child(key).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder { decoder }
    func superDecoder(forKey key: Key) throws -> any Decoder { try child(key) }
}

/// The unkeyed container over an array's items (or the bytes of `bytes` and `fixed`).
struct AvroUnkeyedDecodingContainer: UnkeyedDecodingContainer {
    let decoder: AvroValueDecoder
    let elements: [AvroValue]
    /// The items' schema node; `nil` for the bytes of `bytes` and `fixed`, read as integers.
    let itemNode: Int?
    var currentIndex = 0
    var codingPath: [any CodingKey] { decoder.codingPath }
    var count: Int? { elements.count }
    var isAtEnd: Bool { currentIndex >= elements.count }

    private struct IndexKey: CodingKey {
        var intValue: Int?
        var stringValue: String { "\(intValue ?? 0)" }
        init(intValue: Int) { self.intValue = intValue }
        init?(stringValue: String) { nil }
    }

    private mutating func next() throws -> AvroValueDecoder {
        guard !isAtEnd else { throw decoder.failure("no more items after \(elements.count)") }
        defer { currentIndex += 1 }
        let key = IndexKey(intValue: currentIndex)
        guard let itemNode else {
            return AvroValueDecoder(
                graph: ByteItems.graph, value: elements[currentIndex], node: 0, rootName: decoder.rootName,
                codingPath: decoder.codingPath + [key]
            )
        }
        return decoder.child(elements[currentIndex], node: itemNode, key: key)
    }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd, let itemNode else { return false }
        let item = AvroValueDecoder(graph: decoder.graph, value: elements[currentIndex], node: itemNode, rootName: nil, codingPath: [])
        guard case .null = item.value else { return false }
        currentIndex += 1
        return true
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try next().decodeValue(type) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        try next().container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer { try next().unkeyedContainer() }
    mutating func superDecoder() throws -> any Decoder { try next() }
}

/// A graph of one `int` node, the schema of a byte read out of `bytes` or `fixed`.
enum ByteItems {
    static let graph = SchemaGraph(nodes: [SchemaNode(kind: .int)])
}

/// The single-value container: the primitive conversions.
struct AvroSingleValueDecodingContainer: SingleValueDecodingContainer {
    let decoder: AvroValueDecoder
    var codingPath: [any CodingKey] { decoder.codingPath }

    func decodeNil() -> Bool {
        if case .null = decoder.value { return true }
        return false
    }

    private func integer<T: FixedWidthInteger>(_ type: T.Type) throws -> T {
        let wide: Int64
        switch decoder.value {
        case .int(let value): wide = Int64(value)
        case .long(let value): wide = value
        default: throw decoder.failure("expected an integer, found \(ValueWriter.describe(decoder.value))")
        }
        guard let value = T(exactly: wide) else { throw decoder.failure("\(wide) does not fit \(T.self)") }
        return value
    }

    func decode(_ type: Bool.Type) throws -> Bool {
        guard case .boolean(let value) = decoder.value else { throw decoder.failure("expected a boolean, found \(ValueWriter.describe(decoder.value))") }
        return value
    }

    func decode(_ type: String.Type) throws -> String {
        switch decoder.value {
        case .string(let value), .enumSymbol(let value): return value
        default: throw decoder.failure("expected a string, found \(ValueWriter.describe(decoder.value))")
        }
    }

    func decode(_ type: Double.Type) throws -> Double {
        switch decoder.value {
        case .double(let value): return value
        case .float(let value): return Double(value)
        case .int(let value): return Double(value)
        case .long(let value): return Double(value)
        default: throw decoder.failure("expected a number, found \(ValueWriter.describe(decoder.value))")
        }
    }

    func decode(_ type: Float.Type) throws -> Float {
        switch decoder.value {
        case .float(let value): return value
        case .double(let value): return Float(value)
        case .int(let value): return Float(value)
        case .long(let value): return Float(value)
        default: throw decoder.failure("expected a number, found \(ValueWriter.describe(decoder.value))")
        }
    }

    func decode(_ type: Int.Type) throws -> Int { try integer(type) }
    func decode(_ type: Int8.Type) throws -> Int8 { try integer(type) }
    func decode(_ type: Int16.Type) throws -> Int16 { try integer(type) }
    func decode(_ type: Int32.Type) throws -> Int32 { try integer(type) }
    func decode(_ type: Int64.Type) throws -> Int64 { try integer(type) }
    func decode(_ type: UInt.Type) throws -> UInt { try integer(type) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try integer(type) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try integer(type) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try integer(type) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try integer(type) }
    func decode<T: Decodable>(_ type: T.Type) throws -> T { try decoder.decodeValue(type) }
}
