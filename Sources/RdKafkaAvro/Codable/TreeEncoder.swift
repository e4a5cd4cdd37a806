import Foundation

/// An `Encoder` that records an `Encodable` value as an ``EncodedTree``. `Date`, `Decimal`,
/// `UUID` and ``AvroValue`` are kept whole, so the schema can choose their encoding.
struct TreeEncoder: Encoder {
    let slot: TreeSlot
    var codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    static func tree<T: Encodable>(of value: T) throws -> EncodedTree {
        let slot = TreeSlot()
        try TreeEncoder(slot: slot, codingPath: []).encodeValue(value)
        return slot.tree
    }

    func encodeValue<T: Encodable>(_ value: T) throws {
        // Metatype comparisons first: a dynamic cast per value costs more than the encoding.
        if T.self == Date.self, let date = value as? Date {
            slot.content = .value(.date(date))
        } else if T.self == Decimal.self, let decimal = value as? Decimal {
            slot.content = .value(.decimal(decimal))
        } else if T.self == UUID.self, let uuid = value as? UUID {
            slot.content = .value(.uuid(uuid))
        } else if T.self == AvroValue.self, let avro = value as? AvroValue {
            slot.content = .value(.avro(avro))
        } else if T.self == Data.self, let data = value as? Data {
            slot.content = .value(.array(data.map { .uint(UInt64($0)) }))
        } else {
            try value.encode(to: self)
        }
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        if case .keyed = slot.content {} else {
            // Reserved once so a small record's members do not regrow the array field by field.
            var members: [TreeSlot.KeyedSlot] = []
            members.reserveCapacity(8)
            slot.content = .keyed(members)
        }
        return KeyedEncodingContainer(KeyedContainer<Key>(slot: slot, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        if case .unkeyed = slot.content {} else { slot.content = .unkeyed([]) }
        return UnkeyedContainer(slot: slot, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        SingleValueContainer(encoder: self)
    }

    private struct KeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
        let slot: TreeSlot
        var codingPath: [any CodingKey]

        private func child(_ key: Key) -> TreeSlot {
            let child = TreeSlot()
            slot.set(key.stringValue, .slot(child))
            return child
        }

        private func set(_ key: Key, _ tree: EncodedTree) {
            slot.set(key.stringValue, .tree(tree))
        }

        mutating func encodeNil(forKey key: Key) throws { set(key, .null) }
        mutating func encode(_ value: Bool, forKey key: Key) throws { set(key, .bool(value)) }
        mutating func encode(_ value: String, forKey key: Key) throws { set(key, .string(value)) }
        mutating func encode(_ value: Double, forKey key: Key) throws { set(key, .double(value)) }
        mutating func encode(_ value: Float, forKey key: Key) throws { set(key, .float(value)) }
        mutating func encode(_ value: Int, forKey key: Key) throws { set(key, .int(Int64(value))) }
        mutating func encode(_ value: Int32, forKey key: Key) throws { set(key, .int(Int64(value))) }
        mutating func encode(_ value: Int64, forKey key: Key) throws { set(key, .int(value)) }
        mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
            try TreeEncoder(slot: child(key), codingPath: codingPath + [key]).encodeValue(value)
        }
        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
            TreeEncoder(slot: child(key), codingPath: codingPath + [key]).container(keyedBy: keyType)
        }
        mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
            TreeEncoder(slot: child(key), codingPath: codingPath + [key]).unkeyedContainer()
        }
        mutating func superEncoder() -> any Encoder { TreeEncoder(slot: slot, codingPath: codingPath) }
        mutating func superEncoder(forKey key: Key) -> any Encoder { TreeEncoder(slot: child(key), codingPath: codingPath + [key]) }
    }

    private struct UnkeyedContainer: UnkeyedEncodingContainer {
        let slot: TreeSlot
        var codingPath: [any CodingKey]
        var count: Int {
            if case .unkeyed(let elements) = slot.content { return elements.count }
            return 0
        }

        private func next() -> TreeSlot {
            let child = TreeSlot()
            slot.append(child)
            return child
        }

        mutating func encodeNil() throws { next().content = .value(.null) }
        mutating func encode<T: Encodable>(_ value: T) throws {
            try TreeEncoder(slot: next(), codingPath: codingPath).encodeValue(value)
        }
        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
            TreeEncoder(slot: next(), codingPath: codingPath).container(keyedBy: keyType)
        }
        mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
            TreeEncoder(slot: next(), codingPath: codingPath).unkeyedContainer()
        }
        mutating func superEncoder() -> any Encoder { TreeEncoder(slot: next(), codingPath: codingPath) }
    }

    private struct SingleValueContainer: SingleValueEncodingContainer {
        let encoder: TreeEncoder
        var codingPath: [any CodingKey] { encoder.codingPath }

        private func set(_ tree: EncodedTree) { encoder.slot.content = .value(tree) }
        mutating func encodeNil() throws { set(.null) }
        mutating func encode(_ value: Bool) throws { set(.bool(value)) }
        mutating func encode(_ value: String) throws { set(.string(value)) }
        mutating func encode(_ value: Double) throws { set(.double(value)) }
        mutating func encode(_ value: Float) throws { set(.float(value)) }
        mutating func encode(_ value: Int) throws { set(.int(Int64(value))) }
        mutating func encode(_ value: Int8) throws { set(.int(Int64(value))) }
        mutating func encode(_ value: Int16) throws { set(.int(Int64(value))) }
        mutating func encode(_ value: Int32) throws { set(.int(Int64(value))) }
        mutating func encode(_ value: Int64) throws { set(.int(value)) }
        mutating func encode(_ value: UInt) throws { set(.uint(UInt64(value))) }
        mutating func encode(_ value: UInt8) throws { set(.uint(UInt64(value))) }
        mutating func encode(_ value: UInt16) throws { set(.uint(UInt64(value))) }
        mutating func encode(_ value: UInt32) throws { set(.uint(UInt64(value))) }
        mutating func encode(_ value: UInt64) throws { set(.uint(value)) }
        mutating func encode<T: Encodable>(_ value: T) throws { try encoder.encodeValue(value) }
    }
}
