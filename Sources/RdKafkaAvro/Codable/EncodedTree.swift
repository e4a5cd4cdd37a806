import Foundation

/// What an `Encodable` value encodes to, before the schema gives it Avro types.
enum EncodedTree {
    case null
    case bool(Bool)
    case int(Int64)
    case uint(UInt64)
    case float(Float)
    case double(Double)
    case string(String)
    case array([EncodedTree])
    case keyed([KeyedMember])
    case date(Date)
    case decimal(Decimal)
    case uuid(UUID)
    case avro(AvroValue)
}

/// A member of a keyed value. A struct rather than a tuple: an array of tuples looks its
/// element type up at run time on every allocation.
struct KeyedMember {
    var key: String
    var value: EncodedTree
}

/// The mutable slot an encoding container fills; children are finished into a tree at the end.
final class TreeSlot {
    enum Content {
        case empty
        case value(EncodedTree)
        case keyed([KeyedSlot])
        case unkeyed([TreeSlot])
    }

    /// A keyed member: a primitive is stored as it is, anything else fills a slot of its own.
    enum Member {
        case tree(EncodedTree)
        case slot(TreeSlot)

        var tree: EncodedTree {
            switch self {
            case .tree(let tree): tree
            case .slot(let slot): slot.tree
            }
        }
    }

    struct KeyedSlot {
        var key: String
        var member: Member
    }

    /// Sets the member `key` (replacing an earlier one of the same key).
    func set(_ key: String, _ member: Member) {
        guard case .keyed(var members) = content else { return }
        // Emptied first so the array is uniquely referenced and appends in place.
        content = .empty
        if let index = members.firstIndex(where: { $0.key == key }) {
            members[index].member = member
        } else {
            members.append(KeyedSlot(key: key, member: member))
        }
        content = .keyed(members)
    }

    func append(_ element: TreeSlot) {
        guard case .unkeyed(var elements) = content else { return }
        content = .empty
        elements.append(element)
        content = .unkeyed(elements)
    }

    var content: Content = .empty

    var tree: EncodedTree {
        switch content {
        case .empty: .null
        case .value(let tree): tree
        case .keyed(let members): .keyed(members.map { KeyedMember(key: $0.key, value: $0.member.tree) })
        case .unkeyed(let elements): .array(elements.map(\.tree))
        }
    }
}
