/// Writes an ``EncodedTree`` straight to Avro's binary encoding.
///
/// The shapes most records are made of (records, optionals, primitives that match the schema
/// exactly) are written without building an ``AvroValue`` first; every other shape goes
/// through ``AvroValueEncoder`` and ``ValueWriter``, which hold the conversion rules, so the
/// two paths cannot disagree.
struct TreeWriter {
    let graph: SchemaGraph

    func write(_ tree: EncodedTree, node index: Int, to writer: inout BinaryWriter, depth: Int) throws(AvroError) {
        switch (graph.nodes[index].kind, tree) {
        case (.null, .null): return
        case (.boolean, .bool(let bool)): writer.writeBoolean(bool)
        case (.long, .int(let long)): writer.writeLong(long)
        case (.double, .double(let double)): writer.writeDouble(double)
        case (.float, .float(let float)): writer.writeFloat(float)
        case (.string, .string(let string)): writer.writeString(string)
        case (.int, .int(let wide)) where Int32(exactly: wide) != nil: writer.writeInt(Int32(truncatingIfNeeded: wide))
        case (.record(let record), .keyed(let members)):
            try ValueWriter.checkDepth(depth)
            try writeRecord(record, members, to: &writer, depth: depth)
        case (.array(let items), .array(let elements)):
            try ValueWriter.checkDepth(depth)
            try writer.writeArray(elements) { (element, writer: inout BinaryWriter) throws(AvroError) in
                try write(element, node: items, to: &writer, depth: depth + 1)
            }
        case (.map(let valuesNode), .keyed(let members)):
            try ValueWriter.checkDepth(depth)
            try writer.writeMap(members, key: { $0.key }) { (member, writer: inout BinaryWriter) throws(AvroError) in
                try write(member.value, node: valuesNode, to: &writer, depth: depth + 1)
            }
        case (.union(let branches), _) where !isAvroValue(tree):
            // An optional (a union of null and one other type) picks its branch by nil-ness.
            guard branches.count == 2, let nullBranch = branches.firstIndex(where: isNull) else {
                try writeConverted(tree, node: index, to: &writer, depth: depth)
                return
            }
            if case .null = tree {
                writer.writeLong(Int64(nullBranch))
            } else {
                let branch = 1 - nullBranch
                writer.writeLong(Int64(branch))
                try write(tree, node: branches[branch], to: &writer, depth: depth + 1)
            }
        default:
            try writeConverted(tree, node: index, to: &writer, depth: depth)
        }
    }

    private func writeConverted(_ tree: EncodedTree, node index: Int, to writer: inout BinaryWriter, depth: Int) throws(AvroError) {
        let value = try AvroValueEncoder(graph: graph).value(tree, node: index)
        try ValueWriter(graph: graph).write(value, node: index, to: &writer, depth: depth)
    }

    /// The rules of `AvroValueEncoder.recordValue`, writing as it goes: fields in schema
    /// order, a missing one from its default or as null, a member the schema lacks refused.
    private func writeRecord(
        _ record: RecordSchema, _ members: [KeyedMember], to writer: inout BinaryWriter, depth: Int
    ) throws(AvroError) {
        var matched = 0
        let fields = record.fields
        // By position: iterating the fields themselves would copy each one (and retain its
        // name, aliases and default).
        for position in fields.indices {
            let name = fields[position].name
            let type = fields[position].type
            // Synthesized Codable encodes in declaration order, usually the schema's.
            let tree = position < members.count && members[position].key == name
                ? members[position].value : members.first { $0.key == name }?.value
            if tree != nil { matched += 1 }
            guard tree != nil || fields[position].defaultValue != nil || AvroValueEncoder(graph: graph).isNullable(type) else {
                throw AvroError(.valueMismatch, path: name, reason: "missing, and the field has no default")
            }
            do {
                if let tree {
                    try write(tree, node: type, to: &writer, depth: depth + 1)
                } else if let defaultValue = fields[position].defaultValue {
                    try ValueWriter(graph: graph).write(defaultValue, node: type, to: &writer, depth: depth + 1)
                } else {
                    // An optional left nil is omitted by synthesized Codable: it is null.
                    try write(.null, node: type, to: &writer, depth: depth + 1)
                }
            } catch {
                throw error.within(name)
            }
        }
        if matched < members.count, let extra = members.first(where: { record.fieldIndex[$0.key] == nil }) {
            throw AvroError(.valueMismatch, path: extra.key, reason: "the schema \(record.named.fullName) has no such field")
        }
    }

    private func isNull(_ index: Int) -> Bool {
        if case .null = graph.nodes[index].kind { return true }
        return false
    }

    private func isAvroValue(_ tree: EncodedTree) -> Bool {
        if case .avro = tree { return true }
        return false
    }
}
