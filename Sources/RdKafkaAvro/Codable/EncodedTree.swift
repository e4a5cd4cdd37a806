import Foundation

/// What an `Encodable` value encodes to, before the schema gives it Avro types.
indirect enum EncodedTree {
    case null
    case bool(Bool)
    case int(Int64)
    case uint(UInt64)
    case float(Float)
    case double(Double)
    case string(String)
    case array([EncodedTree])
    case keyed([(key: String, value: EncodedTree)])
    case date(Date)
    case decimal(Decimal)
    case uuid(UUID)
    case avro(AvroValue)
}

/// The mutable slot an encoding container fills; children are finished into a tree at the end.
final class TreeSlot {
    enum Content {
        case empty
        case value(EncodedTree)
        case keyed([(key: String, slot: TreeSlot)])
        case unkeyed([TreeSlot])
    }

    var content: Content = .empty

    var tree: EncodedTree {
        switch content {
        case .empty: .null
        case .value(let tree): tree
        case .keyed(let members): .keyed(members.map { ($0.key, $0.slot.tree) })
        case .unkeyed(let elements): .array(elements.map(\.tree))
        }
    }
}
