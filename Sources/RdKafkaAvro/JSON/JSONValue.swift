/// A JSON document as parsed from a schema, keeping object member order and number text
/// (so a `long` default keeps all 64 bits). Package-visible: the schema registry's JSON
/// Schema validator reads schemas and instances with it.
package enum JSONValue: Sendable {
    case null
    case bool(Bool)
    /// A number as written.
    case number(String)
    case string(String)
    case array([JSONValue])
    case object([(key: String, value: JSONValue)])

    /// The member called `key` of an object.
    package subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.key == key }?.value
    }

    package var stringValue: String? {
        if case .string(let string) = self { return string }
        return nil
    }

    /// The number as an integer, when it is one (no fraction, no exponent) that fits.
    package var integerValue: Int64? {
        guard case .number(let text) = self else { return nil }
        return Int64(text)
    }

    package var doubleValue: Double? {
        guard case .number(let text) = self else { return nil }
        return Double(text)
    }

    /// The JSON text, compact.
    package var serialized: String {
        var output = ""
        write(to: &output)
        return output
    }

    func write(to output: inout String) {
        switch self {
        case .null: output += "null"
        case .bool(let value): output += value ? "true" : "false"
        case .number(let text): output += text
        case .string(let string): JSONValue.writeString(string, to: &output)
        case .array(let elements):
            output += "["
            for (index, element) in elements.enumerated() {
                if index > 0 { output += "," }
                element.write(to: &output)
            }
            output += "]"
        case .object(let members):
            output += "{"
            for (index, member) in members.enumerated() {
                if index > 0 { output += "," }
                JSONValue.writeString(member.key, to: &output)
                output += ":"
                member.value.write(to: &output)
            }
            output += "}"
        }
    }

    /// Writes `string` as a JSON string literal, escaping only what JSON requires; the one
    /// escaping rule of the package (the registry's Protobuf text and the CLI use it too).
    package static func writeString(_ string: String, to output: inout String) {
        output += "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: output.unicodeScalars.append(scalar)
            }
        }
        output += "\""
    }

    /// `string` as a JSON string literal.
    package static func quoted(_ string: String) -> String {
        var output = ""
        writeString(string, to: &output)
        return output
    }
}
