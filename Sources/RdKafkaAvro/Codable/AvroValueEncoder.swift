import Foundation

/// Gives an ``EncodedTree`` the Avro types of a schema.
struct AvroValueEncoder {
    let graph: SchemaGraph

    static func value<T: Encodable>(of value: T, schema: AvroSchema) throws -> AvroValue {
        let tree = try TreeEncoder.tree(of: value)
        do {
            return try AvroValueEncoder(graph: schema.graph).value(tree, node: schema.root)
        } catch {
            throw schema.graph[schema.root].named.map { error.within($0.name) } ?? error
        }
    }

    func value(_ tree: EncodedTree, node index: Int) throws(AvroError) -> AvroValue {
        let kind = graph.nodes[index].kind
        let logicalType = graph.nodes[index].logicalType
        func mismatch(_ detail: String = "") -> AvroError {
            AvroError(.valueMismatch, reason: "\(describe(tree)) does not fit \(graph[index].typeName)\(detail)")
        }
        if case .avro(let value) = tree { return value }
        switch (kind, tree) {
        case (.null, .null): return .null
        case (.boolean, .bool(let bool)): return .boolean(bool)
        case (.int, .int(let int)):
            guard let value = Int32(exactly: int) else { throw mismatch(" (out of range)") }
            return .int(value)
        case (.int, .uint(let uint)):
            guard let value = Int32(exactly: uint) else { throw mismatch(" (out of range)") }
            return .int(value)
        case (.int, .date(let date)) where logicalType == .date:
            let days = (date.timeIntervalSince1970 / 86_400).rounded(.down)
            guard let value = Int32(exactly: days) else { throw mismatch(" (out of range)") }
            return .int(value)
        case (.long, .int(let int)): return .long(int)
        case (.long, .uint(let uint)):
            guard let value = Int64(exactly: uint) else { throw mismatch(" (out of range)") }
            return .long(value)
        case (.long, .date(let date)):
            guard let units = LogicalValues.unitsPerSecond(logicalType),
                let value = LogicalValues.epochUnits(date, unitsPerSecond: units)
            else { throw mismatch(" (a Date needs a timestamp logical type in range)") }
            return .long(value)
        case (.float, .float(let float)): return .float(float)
        case (.float, .double(let double)): return .float(Float(double))
        case (.float, .int(let int)): return .float(Float(int))
        case (.double, .double(let double)): return .double(double)
        case (.double, .float(let float)): return .double(Double(float))
        case (.double, .int(let int)): return .double(Double(int))
        case (.bytes, .decimal(let decimal)):
            guard case .decimal(_, let scale)? = logicalType, let bytes = LogicalValues.unscaledBytes(decimal, scale: scale) else {
                throw mismatch(" (a Decimal needs a decimal logical type with enough scale)")
            }
            return .bytes(bytes)
        case (.bytes, .array(let elements)): return .bytes(try byteArray(elements, mismatch: mismatch()))
        case (.string, .string(let string)): return .string(string)
        case (.string, .uuid(let uuid)): return .string(uuid.uuidString.lowercased())
        case (.fixed(let fixed), .decimal(let decimal)):
            guard case .decimal(_, let scale)? = logicalType, let bytes = LogicalValues.unscaledBytes(decimal, scale: scale),
                let extended = LogicalValues.signExtended(bytes, to: fixed.size)
            else { throw mismatch(" (a Decimal needs a decimal logical type with enough scale and size)") }
            return .fixed(extended)
        case (.fixed(let fixed), .uuid(let uuid)) where fixed.size == 16: return .fixed(LogicalValues.uuidBytes(uuid))
        case (.fixed(let fixed), .string(let text)) where logicalType == .uuid:
            guard let uuid = UUID(uuidString: text) else { throw mismatch(" (not a UUID)") }
            _ = fixed
            return .fixed(LogicalValues.uuidBytes(uuid))
        case (.fixed(let fixed), .array(let elements)):
            let bytes = try byteArray(elements, mismatch: mismatch())
            guard bytes.count == fixed.size else { throw mismatch(" (\(bytes.count) bytes for size \(fixed.size))") }
            return .fixed(bytes)
        case (.enumeration(let enumeration), .string(let symbol)):
            guard enumeration.symbolIndex[symbol] != nil else { throw mismatch(" (\(symbol) is not a symbol)") }
            return .enumSymbol(symbol)
        case (.array(let items), .array(let elements)):
            var values: [AvroValue] = []
            values.reserveCapacity(elements.count)
            for (position, element) in elements.enumerated() {
                do { values.append(try value(element, node: items)) } catch { throw error.within("[\(position)]") }
            }
            return .array(values)
        case (.map(let valuesNode), .keyed(let members)):
            var entries: [String: AvroValue] = [:]
            for member in members {
                do { entries[member.key] = try value(member.value, node: valuesNode) } catch { throw error.within("[\"\(member.key)\"]") }
            }
            return .map(entries)
        case (.record(let record), .keyed(let members)):
            return .record(try recordValue(record, members))
        case (.union(let branches), _):
            if case .null = tree, let nullBranch = branches.firstIndex(where: { if case .null = graph[$0].kind { true } else { false } }) {
                return .union(branch: nullBranch, value: .null)
            }
            var firstError: AvroError?
            for (position, branch) in branches.enumerated() {
                do {
                    return .union(branch: position, value: try value(tree, node: branch))
                } catch {
                    firstError = firstError ?? error
                }
            }
            throw firstError ?? mismatch()
        default:
            throw mismatch()
        }
    }

    private func recordValue(_ record: RecordSchema, _ members: [KeyedMember]) throws(AvroError) -> AvroRecord {
        var fields: [AvroRecord.Field] = []
        fields.reserveCapacity(record.fields.count)
        for (position, field) in record.fields.enumerated() {
            let tree = position < members.count && members[position].key == field.name
                ? members[position].value : members.first { $0.key == field.name }?.value
            if let tree {
                do { fields.append(.init(name: field.name, value: try value(tree, node: field.type))) } catch { throw error.within(field.name) }
            } else if let defaultValue = field.defaultValue {
                fields.append(.init(name: field.name, value: defaultValue))
            } else if isNullable(field.type) {
                // An optional left nil is omitted by synthesized Codable: it is null.
                do { fields.append(.init(name: field.name, value: try value(.null, node: field.type))) } catch { throw error.within(field.name) }
            } else {
                throw AvroError(.valueMismatch, path: field.name, reason: "missing, and the field has no default")
            }
        }
        for member in members where record.fieldIndex[member.key] == nil {
            throw AvroError(.valueMismatch, path: member.key, reason: "the schema \(record.named.fullName) has no such field")
        }
        return AvroRecord(fields)
    }

    func isNullable(_ index: Int) -> Bool {
        switch graph[index].kind {
        case .null: true
        case .union(let branches): branches.contains { if case .null = graph[$0].kind { true } else { false } }
        default: false
        }
    }

    private func byteArray(_ elements: [EncodedTree], mismatch: @autoclosure () -> AvroError) throws(AvroError) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(elements.count)
        for element in elements {
            switch element {
            case .uint(let value) where value <= 255: bytes.append(UInt8(value))
            case .int(let value) where (0...255).contains(value): bytes.append(UInt8(value))
            default: throw mismatch()
            }
        }
        return bytes
    }

    private func describe(_ tree: EncodedTree) -> String {
        switch tree {
        case .null: "nil"
        case .bool: "a Bool"
        case .int, .uint: "an integer"
        case .float, .double: "a floating-point number"
        case .string: "a String"
        case .array: "an array"
        case .keyed: "a keyed value"
        case .date: "a Date"
        case .decimal: "a Decimal"
        case .uuid: "a UUID"
        case .avro: "an AvroValue"
        }
    }
}
