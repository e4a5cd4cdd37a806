extension AvroSchema {
    /// `value` in Avro's JSON encoding, as the specification defines it and as Confluent's
    /// `kafka-avro-console-consumer` and kcat print records.
    ///
    /// ```swift
    /// let schema = try AvroSchema(parsing: #"{"type": "record", "name": "R", "fields": [{"name": "note", "type": ["null", "string"]}]}"#)
    /// try schema.jsonEncoding(of: .record(["note": .union(branch: 1, value: .string("hi"))]))
    /// // {"note":{"string":"hi"}}
    /// ```
    ///
    /// Records are objects with their fields in schema order; a union's value other than
    /// `null` is wrapped in an object naming its branch (the full name of a record, enum or
    /// fixed, else the type name); `bytes` and `fixed` are strings whose characters are the
    /// bytes' values (U+0000 to U+00FF); map entries are written in key order, so the text
    /// is the same for equal values. Logical types are written as their underlying type.
    /// Floating-point NaN and infinities, which JSON cannot express, are the strings
    /// `"NaN"`, `"Infinity"` and `"-Infinity"`.
    ///
    /// - Throws: ``AvroError`` of kind ``AvroError/Kind/valueMismatch`` when `value` does not
    ///   fit the schema (what ``AvroReader`` decodes with this schema always fits).
    public func jsonEncoding(of value: AvroValue) throws(AvroError) -> String {
        var output = ""
        try AvroJSONWriter(graph: graph).write(value, node: root, to: &output)
        return output
    }
}

/// Writes values of one schema graph as Avro JSON text.
struct AvroJSONWriter {
    let graph: SchemaGraph

    func write(_ value: AvroValue, node index: Int, to output: inout String) throws(AvroError) {
        let node = graph[index]
        switch (node.kind, value) {
        case (.null, .null): output += "null"
        case (.boolean, .boolean(let flag)): output += flag ? "true" : "false"
        case (.int, .int(let number)): output += String(number)
        case (.long, .long(let number)): output += String(number)
        // Float's own description is its shortest exact text (0.1, not 0.10000000149011612).
        case (.float, .float(let number)): writeFloatingPoint(number.isFinite ? number.description : nil, Double(number), to: &output)
        case (.double, .double(let number)): writeFloatingPoint(number.isFinite ? number.description : nil, number, to: &output)
        case (.bytes, .bytes(let bytes)), (.fixed, .fixed(let bytes)):
            var text = ""
            text.unicodeScalars.append(contentsOf: bytes.map { Unicode.Scalar($0) })
            JSONValue.writeString(text, to: &output)
        case (.string, .string(let text)), (.enumeration, .enumSymbol(let text)):
            JSONValue.writeString(text, to: &output)
        case (.record(let record), .record(let fields)):
            output += "{"
            for (position, field) in record.fields.enumerated() {
                guard let fieldValue = fields[field.name] else {
                    throw AvroError(.valueMismatch, path: record.named.name, reason: "no value for field \(field.name)")
                }
                if position > 0 { output += "," }
                JSONValue.writeString(field.name, to: &output)
                output += ":"
                do {
                    try write(fieldValue, node: field.type, to: &output)
                } catch {
                    throw error.within(field.name)
                }
            }
            output += "}"
        case (.array(let items), .array(let elements)):
            output += "["
            for (position, element) in elements.enumerated() {
                if position > 0 { output += "," }
                do {
                    try write(element, node: items, to: &output)
                } catch {
                    throw error.within("[\(position)]")
                }
            }
            output += "]"
        case (.map(let values), .map(let entries)):
            output += "{"
            for (position, key) in entries.keys.sorted().enumerated() {
                if position > 0 { output += "," }
                JSONValue.writeString(key, to: &output)
                output += ":"
                do {
                    // The key comes from the dictionary's own keys.
                    try write(entries[key] ?? .null, node: values, to: &output)
                } catch {
                    throw error.within("[\"\(key)\"]")
                }
            }
            output += "}"
        case (.union(let branches), .union(let branch, let branchValue)):
            guard branches.indices.contains(branch) else {
                throw AvroError(.valueMismatch, reason: "union branch \(branch) out of range 0..<\(branches.count)")
            }
            let branchNode = graph[branches[branch]]
            if case .null = branchNode.kind {
                try write(branchValue, node: branches[branch], to: &output)
            } else {
                output += "{"
                JSONValue.writeString(branchNode.named?.fullName ?? branchNode.typeName, to: &output)
                output += ":"
                try write(branchValue, node: branches[branch], to: &output)
                output += "}"
            }
        default:
            throw AvroError(.valueMismatch, reason: "\(ValueWriter.describe(value)) does not fit the schema type \(node.typeName)")
        }
    }

    private func writeFloatingPoint(_ finiteText: String?, _ number: Double, to output: inout String) {
        if let finiteText {
            output += finiteText
        } else {
            output += number.isNaN ? "\"NaN\"" : number > 0 ? "\"Infinity\"" : "\"-Infinity\""
        }
    }
}
