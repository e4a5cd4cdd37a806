/// Converts a field's JSON default to a value of the field's type, as the specification's
/// table of default encodings describes (bytes and fixed as strings of code points 0-255,
/// a union's default for whichever branch it fits, the first first).
struct DefaultValues {
    let nodes: [SchemaNode]
    private static let maximumDepth = 64

    func value(_ json: JSONValue, node index: Int, path: String, depth: Int) throws(AvroError) -> AvroValue {
        guard depth < DefaultValues.maximumDepth else {
            throw AvroError(.invalidSchema, path: path, reason: "the default nests deeper than \(DefaultValues.maximumDepth) levels")
        }
        let node = nodes[index]
        func mismatch() -> AvroError {
            AvroError(.invalidSchema, path: path, reason: "the default \(json.serialized) is not a valid \(node.typeName)")
        }
        switch (node.kind, json) {
        case (.null, .null): return .null
        case (.boolean, .bool(let value)): return .boolean(value)
        case (.int, _):
            guard let value = json.integerValue, let int = Int32(exactly: value) else { throw mismatch() }
            return .int(int)
        case (.long, _):
            guard let value = json.integerValue else { throw mismatch() }
            return .long(value)
        case (.float, _):
            guard let value = floatingPoint(json) else { throw mismatch() }
            return .float(Float(value))
        case (.double, _):
            guard let value = floatingPoint(json) else { throw mismatch() }
            return .double(value)
        case (.bytes, .string(let text)):
            guard let bytes = DefaultValues.latin1Bytes(text) else { throw mismatch() }
            return .bytes(bytes)
        case (.string, .string(let text)): return .string(text)
        case (.fixed(let fixed), .string(let text)):
            guard let bytes = DefaultValues.latin1Bytes(text), bytes.count == fixed.size else { throw mismatch() }
            return .fixed(bytes)
        case (.enumeration(let enumeration), .string(let symbol)):
            guard enumeration.symbolIndex[symbol] != nil else { throw mismatch() }
            return .enumSymbol(symbol)
        case (.array(let items), .array(let elements)):
            var values: [AvroValue] = []
            for (position, element) in elements.enumerated() {
                values.append(try value(element, node: items, path: path + "[\(position)]", depth: depth + 1))
            }
            return .array(values)
        case (.map(let valuesNode), .object(let members)):
            var values: [String: AvroValue] = [:]
            for member in members {
                values[member.key] = try value(member.value, node: valuesNode, path: path + "[\"\(member.key)\"]", depth: depth + 1)
            }
            return .map(values)
        case (.record(let record), .object):
            var fields: [AvroRecord.Field] = []
            for field in record.fields {
                let fieldPath = path + "." + field.name
                if let fieldJSON = json[field.name] {
                    fields.append(.init(name: field.name, value: try value(fieldJSON, node: field.type, path: fieldPath, depth: depth + 1)))
                } else if let fieldDefault = field.defaultJSON {
                    fields.append(.init(name: field.name, value: try value(fieldDefault, node: field.type, path: fieldPath, depth: depth + 1)))
                } else {
                    throw AvroError(.invalidSchema, path: fieldPath, reason: "the default lacks this field, which has no default")
                }
            }
            return .record(AvroRecord(fields))
        case (.union(let branches), _):
            for (position, branch) in branches.enumerated() {
                if let branchValue = try? value(json, node: branch, path: path, depth: depth + 1) {
                    return .union(branch: position, value: branchValue)
                }
            }
            throw mismatch()
        default:
            throw mismatch()
        }
    }

    private func floatingPoint(_ json: JSONValue) -> Double? {
        switch json {
        case .number: return json.doubleValue
        case .string("NaN"): return .nan
        case .string("Infinity"): return .infinity
        case .string("-Infinity"): return -.infinity
        default: return nil
        }
    }

    /// The bytes of a default written as a string of code points 0-255.
    static func latin1Bytes(_ text: String) -> [UInt8]? {
        var bytes: [UInt8] = []
        for scalar in text.unicodeScalars {
            guard scalar.value <= 0xFF else { return nil }
            bytes.append(UInt8(scalar.value))
        }
        return bytes
    }
}
