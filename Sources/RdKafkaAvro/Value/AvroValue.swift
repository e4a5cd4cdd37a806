/// A value of any Avro type, for code that works without a Swift type per schema.
///
/// Logical types travel as their underlying type: a `date` is an ``int`` (days since the Unix
/// epoch), a `timestamp-micros` a ``long``, a `decimal` ``bytes`` or ``fixed`` holding the
/// two's-complement unscaled value, a `uuid` a ``string``. The conveniences in
/// `AvroValue+LogicalTypes.swift` build and read them.
///
/// A value for a union schema is ``union(branch:value:)``. When encoding, a value that is not
/// a `union` is also accepted for a union schema: it goes to the first branch it fits.
// Only `union` refers to an AvroValue directly (arrays, maps and records already hold
// theirs in collections): boxing every case would cost an allocation per scalar value.
public enum AvroValue: Sendable, Hashable {
    /// The value of `null`.
    case null
    case boolean(Bool)
    /// A 32-bit `int`; also `date` and `time-millis`.
    case int(Int32)
    /// A 64-bit `long`; also `time-micros` and the `timestamp-*` logical types.
    case long(Int64)
    case float(Float)
    case double(Double)
    /// `bytes`; also `decimal` and `big-decimal` on bytes.
    case bytes([UInt8])
    /// A `string`; also `uuid` on string.
    case string(String)
    /// A record: its fields by name, in the schema's order when decoded.
    case record(AvroRecord)
    /// An enum symbol.
    case enumSymbol(String)
    /// An `array`'s items.
    case array([AvroValue])
    /// A `map`'s entries (Avro maps have string keys and no order).
    case map([String: AvroValue])
    /// The value of a union: the zero-based index of the branch in the union schema and the
    /// value of that branch.
    indirect case union(branch: Int, value: AvroValue)
    /// A `fixed`'s bytes; also `decimal`, `uuid` and `duration` on fixed.
    case fixed([UInt8])
}

/// The fields of an Avro record value, in order.
///
/// Build one with a dictionary literal, which keeps its order:
/// `AvroRecord(["id": .long(7), "name": .string("Ada")])`.
public struct AvroRecord: Sendable, Hashable, ExpressibleByDictionaryLiteral {
    /// One named field of a record value.
    public struct Field: Sendable, Hashable {
        public var name: String
        public var value: AvroValue

        public init(name: String, value: AvroValue) {
            self.name = name
            self.value = value
        }
    }

    /// The fields, in order.
    public var fields: [Field]

    public init(_ fields: [Field]) {
        self.fields = fields
    }

    public init(dictionaryLiteral elements: (String, AvroValue)...) {
        fields = elements.map { Field(name: $0.0, value: $0.1) }
    }

    /// The value of the field called `name`; setting a name that is absent appends it,
    /// setting `nil` removes it.
    public subscript(name: String) -> AvroValue? {
        get { fields.first { $0.name == name }?.value }
        set {
            let index = fields.firstIndex { $0.name == name }
            switch (index, newValue) {
            case (let index?, let value?): fields[index].value = value
            case (let index?, nil): fields.remove(at: index)
            case (nil, let value?): fields.append(Field(name: name, value: value))
            case (nil, nil): break
            }
        }
    }
}
