/// Writes an ``AvroValue`` against a schema node, checking that it fits.
///
/// Widening is accepted where no information is lost (an `int` value for a `long` schema,
/// a `long` that fits for an `int`), so values built by hand need not match exactly.
struct ValueWriter {
    let graph: SchemaGraph
    static let maximumDepth = 512

    func write(_ value: AvroValue, node index: Int, to writer: inout BinaryWriter, depth: Int = 0) throws(AvroError) {
        func mismatch() -> AvroError {
            AvroError(.valueMismatch, reason: "\(ValueWriter.describe(value)) does not fit the schema type \(graph[index].typeName)")
        }
        switch (graph.nodes[index].kind, value) {
        case (.null, .null): break
        case (.boolean, .boolean(let bool)): writer.writeBoolean(bool)
        case (.int, .int(let int)): writer.writeInt(int)
        case (.int, .long(let long)):
            guard let int = Int32(exactly: long) else { throw mismatch() }
            writer.writeInt(int)
        case (.long, .long(let long)): writer.writeLong(long)
        case (.long, .int(let int)): writer.writeLong(Int64(int))
        case (.float, .float(let float)): writer.writeFloat(float)
        case (.double, .double(let double)): writer.writeDouble(double)
        case (.double, .float(let float)): writer.writeDouble(Double(float))
        case (.bytes, .bytes(let bytes)): writer.writeBytes(bytes)
        case (.string, .string(let string)): writer.writeString(string)
        case (.fixed(let fixed), .fixed(let bytes)), (.fixed(let fixed), .bytes(let bytes)):
            guard bytes.count == fixed.size else {
                throw AvroError(.valueMismatch, reason: "\(bytes.count) bytes for a fixed of size \(fixed.size)")
            }
            writer.writeFixed(bytes)
        case (.enumeration(let enumeration), .enumSymbol(let symbol)):
            guard let position = enumeration.symbolIndex[symbol] else {
                throw AvroError(.valueMismatch, reason: "\"\(symbol)\" is not a symbol of \(enumeration.named.fullName)")
            }
            writer.writeInt(Int32(position))
        case (.array(let items), .array(let elements)):
            try Self.checkDepth(depth)
            try writer.writeArray(elements) { (element, writer: inout BinaryWriter) throws(AvroError) in
                try write(element, node: items, to: &writer, depth: depth + 1)
            }
        case (.map(let valuesNode), .map(let entries)):
            try Self.checkDepth(depth)
            try writer.writeMap(entries, key: { $0.key }) { (entry, writer: inout BinaryWriter) throws(AvroError) in
                try write(entry.value, node: valuesNode, to: &writer, depth: depth + 1)
            }
        case (.record(let record), .record(let fields)):
            try Self.checkDepth(depth)
            try writeRecord(record, fields, to: &writer, depth: depth)
        case (.union(let branches), .union(let branch, let branchValue)):
            guard branches.indices.contains(branch) else {
                throw AvroError(.valueMismatch, reason: "union branch \(branch) of a union of \(branches.count)")
            }
            writer.writeLong(Int64(branch))
            try write(branchValue, node: branches[branch], to: &writer, depth: depth + 1)
        case (.union(let branches), _):
            guard let branch = branches.firstIndex(where: { fits(value, node: $0) }) else { throw mismatch() }
            writer.writeLong(Int64(branch))
            try write(value, node: branches[branch], to: &writer, depth: depth + 1)
        default:
            throw mismatch()
        }
    }

    /// Refuses a record, array or map nested deeper than ``maximumDepth`` (``TreeWriter``
    /// too), before the recursion could exhaust the stack.
    static func checkDepth(_ depth: Int) throws(AvroError) {
        guard depth < ValueWriter.maximumDepth else {
            throw AvroError(.valueMismatch, reason: "the value nests deeper than \(ValueWriter.maximumDepth) levels")
        }
    }

    private func writeRecord(_ record: RecordSchema, _ value: AvroRecord, to writer: inout BinaryWriter, depth: Int) throws(AvroError) {
        let fields = value.fields
        var matched = 0
        for (position, field) in record.fields.enumerated() {
            // Values usually list fields in schema order: look there first.
            var fieldValue: AvroValue?
            if position < fields.count, fields[position].name == field.name {
                fieldValue = fields[position].value
            } else {
                fieldValue = fields.first { $0.name == field.name }?.value
            }
            if fieldValue != nil {
                matched += 1
            } else {
                fieldValue = field.defaultValue
            }
            guard let fieldValue else {
                throw AvroError(.valueMismatch, path: field.name, reason: "missing, and the field has no default")
            }
            do { try write(fieldValue, node: field.type, to: &writer, depth: depth + 1) } catch { throw error.within(field.name) }
        }
        // A field the schema lacks would otherwise vanish silently.
        if matched < fields.count, let extra = fields.first(where: { record.fieldIndex[$0.name] == nil }) {
            throw AvroError(.valueMismatch, path: extra.name, reason: "the schema \(record.named.fullName) has no such field")
        }
    }

    /// Whether `value` can be written as `node`, for choosing a union branch.
    func fits(_ value: AvroValue, node index: Int) -> Bool {
        switch (graph[index].kind, value) {
        case (.null, .null), (.boolean, .boolean), (.int, .int), (.long, .long), (.long, .int), (.float, .float),
            (.double, .double), (.bytes, .bytes), (.string, .string), (.array, .array), (.map, .map):
            return true
        case (.record(let record), .record(let fields)):
            // Among several record branches, the first whose fields the value names.
            return fields.fields.allSatisfy { record.fieldIndex[$0.name] != nil }
        case (.int, .long(let long)): return Int32(exactly: long) != nil
        case (.fixed(let fixed), .fixed(let bytes)): return bytes.count == fixed.size
        case (.enumeration(let enumeration), .enumSymbol(let symbol)): return enumeration.symbolIndex[symbol] != nil
        default: return false
        }
    }

    static func describe(_ value: AvroValue) -> String {
        switch value {
        case .null: "null"
        case .boolean: "a boolean"
        case .int: "an int"
        case .long: "a long"
        case .float: "a float"
        case .double: "a double"
        case .bytes: "bytes"
        case .string: "a string"
        case .record: "a record"
        case .enumSymbol: "an enum symbol"
        case .array: "an array"
        case .map: "a map"
        case .union: "a union value"
        case .fixed: "a fixed"
        }
    }
}
