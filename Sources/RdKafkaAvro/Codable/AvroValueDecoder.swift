import Foundation

/// A `Decoder` over an ``AvroValue`` of a known schema node. Union values are unwrapped as
/// they are met, so an optional property reads a `["null", T]` field.
struct AvroValueDecoder: Decoder {
    let graph: SchemaGraph
    let value: AvroValue
    let node: Int
    /// The name of the record the decoding started from, which starts error paths.
    let rootName: String?
    var codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    static func decode<T: Decodable>(_ type: T.Type, from value: AvroValue, schema: AvroSchema) throws -> T {
        try AvroValueDecoder(
            graph: schema.graph, value: value, node: schema.root, rootName: schema.graph[schema.root].named?.name, codingPath: []
        ).decodeValue(type)
    }

    init(graph: SchemaGraph, value: AvroValue, node: Int, rootName: String?, codingPath: [any CodingKey]) {
        var value = value
        var node = node
        // Step into union branches until the value is a plain one.
        while case .union(let branch, let inner) = value, case .union(let branches) = graph.nodes[node].kind, branches.indices.contains(branch) {
            value = inner
            node = branches[branch]
        }
        self.graph = graph
        self.value = value
        self.node = node
        self.rootName = rootName
        self.codingPath = codingPath
    }

    func failure(_ reason: String) -> AvroError {
        let path = codingPath.map { key in key.intValue.map { "[\($0)]" } ?? key.stringValue }
            .reduce("") { path, part in path.isEmpty || part.hasPrefix("[") ? path + part : path + "." + part }
        let fullPath = [rootName, path.isEmpty ? nil : path].compactMap { $0 }.joined(separator: path.hasPrefix("[") ? "" : ".")
        return AvroError(.valueMismatch, path: fullPath, reason: reason)
    }

    func child(_ value: AvroValue, node: Int, key: any CodingKey) -> AvroValueDecoder {
        AvroValueDecoder(graph: graph, value: value, node: node, rootName: rootName, codingPath: codingPath + [key])
    }

    func decodeValue<T: Decodable>(_ type: T.Type) throws -> T {
        if T.self == AvroValue.self, let value = value as? T { return value }
        if let special = try decodeSpecial(type) { return special }
        return try T(from: self)
    }

    private func decodeSpecial<T>(_ type: T.Type) throws -> T? {
        if T.self == Date.self {
            let logicalType = graph.nodes[node].logicalType
            let date: Date
            switch (value, logicalType) {
            case (.int(let days), .date?): date = Date(timeIntervalSince1970: Double(days) * 86_400)
            case (.long(let units), let logical):
                guard let perSecond = LogicalValues.unitsPerSecond(logical) else { throw failure("a Date needs a timestamp logical type") }
                date = LogicalValues.date(epochUnits: units, unitsPerSecond: perSecond)
            default: throw failure("a Date needs a date or timestamp, not \(ValueWriter.describe(value))")
            }
            return date as? T
        }
        if T.self == Decimal.self {
            guard case .decimal(_, let scale)? = graph.nodes[node].logicalType else { throw failure("a Decimal needs a decimal logical type") }
            switch value {
            case .bytes(let bytes), .fixed(let bytes):
                let decimal = LogicalValues.decimal(unscaled: bytes, scale: scale)
                guard !decimal.isNaN else { throw failure("the decimal does not fit Foundation's Decimal") }
                return decimal as? T
            default: throw failure("a Decimal needs bytes or fixed, not \(ValueWriter.describe(value))")
            }
        }
        if T.self == UUID.self {
            switch value {
            case .string(let text):
                guard let uuid = UUID(uuidString: text) else { throw failure("\"\(text)\" is not a UUID") }
                return uuid as? T
            case .fixed(let bytes):
                guard let uuid = LogicalValues.uuid(bytes) else { throw failure("a UUID needs 16 bytes") }
                return uuid as? T
            default: throw failure("a UUID needs a string or fixed(16), not \(ValueWriter.describe(value))")
            }
        }
        if T.self == Data.self {
            switch value {
            case .bytes(let bytes), .fixed(let bytes): return Data(bytes) as? T
            default: throw failure("Data needs bytes or fixed, not \(ValueWriter.describe(value))")
            }
        }
        return nil
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        switch (value, graph.nodes[node].kind) {
        case (.record(let record), .record(let schema)):
            return KeyedDecodingContainer(AvroKeyedDecodingContainer<Key>(decoder: self, fields: record.fields, schema: .record(schema)))
        case (.map(let entries), .map(let valuesNode)):
            let fields = entries.map { AvroRecord.Field(name: $0.key, value: $0.value) }
            return KeyedDecodingContainer(AvroKeyedDecodingContainer<Key>(decoder: self, fields: fields, schema: .map(valuesNode)))
        default:
            throw failure("expected a record or map, found \(ValueWriter.describe(value))")
        }
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        switch (value, graph.nodes[node].kind) {
        case (.array(let elements), .array(let items)):
            return AvroUnkeyedDecodingContainer(decoder: self, elements: elements, itemNode: items)
        case (.bytes(let bytes), _), (.fixed(let bytes), _):
            // [UInt8] and other byte collections read bytes and fixed element by element.
            return AvroUnkeyedDecodingContainer(decoder: self, elements: bytes.map { .int(Int32($0)) }, itemNode: nil)
        default:
            throw failure("expected an array, found \(ValueWriter.describe(value))")
        }
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        AvroSingleValueDecodingContainer(decoder: self)
    }
}
