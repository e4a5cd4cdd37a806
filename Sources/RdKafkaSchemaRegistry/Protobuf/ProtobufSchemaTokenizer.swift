/// A token of `.proto` text, with the line it starts on for error messages.
struct ProtobufToken: Equatable {
    enum Kind: Equatable {
        /// A name, possibly dotted (`google.protobuf.Timestamp`, `.pkg.Type`).
        case identifier(String)
        /// An integer or float literal, as written (signs are separate symbols).
        case number(String)
        case string(String)
        /// One of `{ } [ ] ( ) < > ; , = -` and the like.
        case symbol(Character)
    }

    var kind: Kind
    var line: Int
}

/// Splits `.proto` text into tokens, skipping whitespace and comments.
enum ProtobufSchemaTokenizer {
    static func tokens(of text: String) throws(SchemaRegistryError) -> [ProtobufToken] {
        let scalars = Array(text.unicodeScalars)
        var tokens: [ProtobufToken] = []
        var index = 0
        var line = 1
        func fail(_ message: String) -> SchemaRegistryError {
            SchemaRegistryError(.invalidSchema, "Protobuf schema, line \(line): \(message)")
        }
        while index < scalars.count {
            let scalar = scalars[index]
            if scalar == "\n" {
                line += 1
                index += 1
            } else if scalar.properties.isWhitespace {
                index += 1
            } else if scalar == "/", index + 1 < scalars.count, scalars[index + 1] == "/" {
                while index < scalars.count, scalars[index] != "\n" { index += 1 }
            } else if scalar == "/", index + 1 < scalars.count, scalars[index + 1] == "*" {
                index += 2
                while index + 1 < scalars.count, !(scalars[index] == "*" && scalars[index + 1] == "/") {
                    if scalars[index] == "\n" { line += 1 }
                    index += 1
                }
                guard index + 1 < scalars.count else { throw fail("unterminated /* comment") }
                index += 2
            } else if isIdentifierStart(scalar) || (scalar == "." && index + 1 < scalars.count && isIdentifierStart(scalars[index + 1])) {
                let start = index
                index += 1
                while index < scalars.count, isIdentifierPart(scalars[index]) || (scalars[index] == "." && index + 1 < scalars.count && isIdentifierStart(scalars[index + 1])) {
                    index += 1
                }
                tokens.append(ProtobufToken(kind: .identifier(String(String.UnicodeScalarView(scalars[start..<index]))), line: line))
            } else if scalar.properties.numericType != nil && scalar.isASCII || (scalar == "." && index + 1 < scalars.count && scalars[index + 1].properties.numericType != nil) {
                let start = index
                while index < scalars.count, isIdentifierPart(scalars[index]) || scalars[index] == "." || ((scalars[index] == "+" || scalars[index] == "-") && (scalars[index - 1] == "e" || scalars[index - 1] == "E")) {
                    index += 1
                }
                tokens.append(ProtobufToken(kind: .number(String(String.UnicodeScalarView(scalars[start..<index]))), line: line))
            } else if scalar == "\"" || scalar == "'" {
                // Escapes are kept as written: string values only name imports and json_name.
                var value = String.UnicodeScalarView()
                index += 1
                while index < scalars.count, scalars[index] != scalar {
                    guard scalars[index] != "\n" else { throw fail("line break in a string literal") }
                    if scalars[index] == "\\", index + 1 < scalars.count { index += 1 }
                    value.append(scalars[index])
                    index += 1
                }
                guard index < scalars.count else { throw fail("unterminated string literal") }
                index += 1
                tokens.append(ProtobufToken(kind: .string(String(value)), line: line))
            } else if "{}[]()<>;,=-+:/".unicodeScalars.contains(scalar) {
                tokens.append(ProtobufToken(kind: .symbol(Character(scalar)), line: line))
                index += 1
            } else {
                throw fail("unexpected character \"\(scalar.escaped(asASCII: true))\"")
            }
        }
        return tokens
    }

    private static func isIdentifierStart(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "_" || (scalar.isASCII && scalar.properties.isAlphabetic)
    }

    private static func isIdentifierPart(_ scalar: Unicode.Scalar) -> Bool {
        isIdentifierStart(scalar) || (scalar.isASCII && scalar.properties.numericType != nil)
    }
}
