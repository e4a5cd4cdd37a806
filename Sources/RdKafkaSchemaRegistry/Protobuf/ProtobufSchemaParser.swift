extension ProtobufSchema {
    /// Parses the `.proto` text a Confluent serializer registers (proto2 or proto3).
    ///
    /// Messages (nested, with `oneof`, `map`, `optional`, `repeated`) and enums are read;
    /// `option`, `reserved`, `extensions`, `service` and `extend` are skipped. Imports of
    /// Google's well-known types (Timestamp, Duration, the wrappers, Empty) are known by
    /// name; other imported types stay ``ProtobufFieldType/unresolved(_:)``. Anything
    /// malformed is a ``SchemaRegistryError`` of kind ``SchemaRegistryError/Kind/invalidSchema``.
    package init(parsing text: String) throws(SchemaRegistryError) {
        var parser = ProtobufSchemaParser(tokens: try ProtobufSchemaTokenizer.tokens(of: text))
        try parser.parseFile()
        self = try ProtobufTypeResolver.resolve(parser.file)
    }
}

/// What the parser collects before type names are resolved.
struct ParsedProtobufFile {
    var syntax: ProtobufSchema.Syntax = .proto2
    var packageName = ""
    var topLevelMessages: [String] = []
    var messages: [String: ProtobufMessageType] = [:]
    var enums: [String: ProtobufEnumType] = [:]
}

/// A recursive-descent parser over the tokens of one `.proto` file.
struct ProtobufSchemaParser {
    private let tokens: [ProtobufToken]
    private var position = 0
    private(set) var file = ParsedProtobufFile()
    /// Nesting of messages; bounded so that hostile text cannot exhaust the stack.
    private var depth = 0
    private static let maximumDepth = 64

    init(tokens: [ProtobufToken]) {
        self.tokens = tokens
    }

    mutating func parseFile() throws(SchemaRegistryError) {
        while let token = peek() {
            switch token.kind {
            case .identifier("syntax"):
                position += 1
                try expect("=")
                let value = try string()
                try expect(";")
                switch value {
                case "proto2": file.syntax = .proto2
                case "proto3": file.syntax = .proto3
                default: throw fail("unsupported syntax \"\(value)\"")
                }
            case .identifier("edition"):
                throw fail("Protobuf editions are not supported")
            case .identifier("package"):
                position += 1
                file.packageName = try identifier()
                try expect(";")
            case .identifier("import"):
                position += 1
                if case .identifier(let modifier) = peek()?.kind, modifier == "public" || modifier == "weak" { position += 1 }
                _ = try string()
                try expect(";")
            case .identifier("option"):
                try skipStatement()
            case .identifier("message"):
                position += 1
                file.topLevelMessages.append(try message(scope: file.packageName))
            case .identifier("enum"):
                position += 1
                try enumeration(scope: file.packageName)
            case .identifier("service"), .identifier("extend"):
                try skipStatement()
            case .symbol(";"):
                position += 1
            default:
                throw fail("unexpected \(describe(token)) at the top level")
            }
        }
    }

    /// `message Name { ... }` after the keyword; returns the message's full name.
    private mutating func message(scope: String) throws(SchemaRegistryError) -> String {
        let name = try identifier()
        let fullName = scope.isEmpty ? name : scope + "." + name
        guard depth < Self.maximumDepth else { throw fail("messages nested deeper than \(Self.maximumDepth)") }
        depth += 1
        defer { depth -= 1 }
        var type = ProtobufMessageType(fullName: fullName, fields: [], nestedMessages: [])
        try expect("{")
        try messageBody(&type, oneof: nil)
        guard file.messages[fullName] == nil, file.enums[fullName] == nil else { throw fail("\(fullName) is declared twice") }
        file.messages[fullName] = type
        return fullName
    }

    /// Declarations up to the closing brace of a message or oneof.
    private mutating func messageBody(_ type: inout ProtobufMessageType, oneof: String?) throws(SchemaRegistryError) {
        while true {
            guard let token = peek() else { throw fail("missing } at the end of \(type.fullName)") }
            switch token.kind {
            case .symbol("}"):
                position += 1
                return
            case .symbol(";"):
                position += 1
            case .identifier("option"), .identifier("reserved"), .identifier("extensions"), .identifier("extend"):
                try skipStatement()
            case .identifier("message") where oneof == nil:
                position += 1
                type.nestedMessages.append(try message(scope: type.fullName))
            case .identifier("enum") where oneof == nil:
                position += 1
                try enumeration(scope: type.fullName)
            case .identifier("oneof") where oneof == nil:
                position += 1
                let name = try identifier()
                try expect("{")
                try messageBody(&type, oneof: name)
            case .identifier("map"):
                position += 1
                try mapField(&type)
            case .identifier:
                try field(&type, oneof: oneof)
            default:
                throw fail("unexpected \(describe(token)) in message \(type.fullName)")
            }
        }
    }

    /// `[label] type name = number [options];`
    private mutating func field(_ type: inout ProtobufMessageType, oneof: String?) throws(SchemaRegistryError) {
        var label = ""
        if case .identifier(let word) = peek()?.kind, ["optional", "required", "repeated"].contains(word) {
            label = word
            position += 1
        }
        let typeName = try identifier()
        if typeName == "group" { throw fail("proto2 groups are not supported") }
        let name = try identifier()
        try expect("=")
        let number = try fieldNumber()
        let jsonName = try fieldOptions()
        try expect(";")
        let fieldType: ProtobufFieldType = ProtobufScalarType(rawValue: typeName).map { .scalar($0) } ?? .named(typeName)
        let tracksPresence = file.syntax == .proto2 || label == "optional" || oneof != nil
        try add(ProtobufField(name: name, jsonName: jsonName ?? Self.jsonName(name), number: number, type: fieldType, isRepeated: label == "repeated", tracksPresence: tracksPresence, oneof: oneof), to: &type)
    }

    /// `map<K, V> name = number [options];` after the keyword.
    private mutating func mapField(_ type: inout ProtobufMessageType) throws(SchemaRegistryError) {
        try expect("<")
        guard let key = ProtobufScalarType(rawValue: try identifier()), key.isValidMapKey else { throw fail("a map key must be an integral type, bool or string") }
        try expect(",")
        let valueName = try identifier()
        try expect(">")
        let name = try identifier()
        try expect("=")
        let number = try fieldNumber()
        let jsonName = try fieldOptions()
        try expect(";")
        let value: ProtobufFieldType = ProtobufScalarType(rawValue: valueName).map { .scalar($0) } ?? .named(valueName)
        try add(ProtobufField(name: name, jsonName: jsonName ?? Self.jsonName(name), number: number, type: .map(key: key, value: value), isRepeated: true, tracksPresence: false, oneof: nil), to: &type)
    }

    private func add(_ field: ProtobufField, to type: inout ProtobufMessageType) throws(SchemaRegistryError) {
        guard type.field(number: field.number) == nil else { throw fail("field number \(field.number) used twice in \(type.fullName)") }
        type.fields.append(field)
    }

    /// `enum Name { VALUE = n; ... }` after the keyword.
    private mutating func enumeration(scope: String) throws(SchemaRegistryError) {
        let name = try identifier()
        let fullName = scope.isEmpty ? name : scope + "." + name
        var names: [Int32: String] = [:]
        try expect("{")
        while true {
            guard let token = peek() else { throw fail("missing } at the end of enum \(fullName)") }
            switch token.kind {
            case .symbol("}"):
                position += 1
                guard file.messages[fullName] == nil, file.enums[fullName] == nil else { throw fail("\(fullName) is declared twice") }
                file.enums[fullName] = ProtobufEnumType(fullName: fullName, names: names)
                return
            case .symbol(";"):
                position += 1
            case .identifier("option"), .identifier("reserved"):
                try skipStatement()
            case .identifier(let value):
                position += 1
                try expect("=")
                let number = try integer(in: Int64(Int32.min)...Int64(Int32.max))
                _ = try fieldOptions()
                try expect(";")
                if names[Int32(number)] == nil { names[Int32(number)] = value }
            default:
                throw fail("unexpected \(describe(token)) in enum \(fullName)")
            }
        }
    }

    /// Field options in brackets: skipped, except `json_name`, which is returned.
    private mutating func fieldOptions() throws(SchemaRegistryError) -> String? {
        guard peek()?.kind == .symbol("[") else { return nil }
        position += 1
        var jsonName: String?
        var nesting = 0
        while true {
            guard let token = next() else { throw fail("missing ] after field options") }
            switch token.kind {
            case .symbol("]") where nesting == 0: return jsonName
            case .symbol("{"), .symbol("["): nesting += 1
            case .symbol("}"), .symbol("]"): nesting -= 1
            case .identifier("json_name") where nesting == 0:
                try expect("=")
                jsonName = try string()
            default: break
            }
        }
    }

    /// Skips a statement to its `;`, or a block to its closing brace, nested braces included.
    private mutating func skipStatement() throws(SchemaRegistryError) {
        var nesting = 0
        while let token = next() {
            switch token.kind {
            case .symbol("{"): nesting += 1
            case .symbol("}"):
                nesting -= 1
                if nesting == 0 {
                    if peek()?.kind == .symbol(";") { position += 1 }
                    return
                }
                if nesting < 0 { throw fail("unbalanced }") }
            case .symbol(";") where nesting == 0: return
            default: break
            }
        }
        throw fail("unexpected end of the schema")
    }

    private mutating func fieldNumber() throws(SchemaRegistryError) -> Int {
        Int(try integer(in: 1...536_870_911))
    }

    private mutating func integer(in range: ClosedRange<Int64>) throws(SchemaRegistryError) -> Int64 {
        var negative = false
        if peek()?.kind == .symbol("-") {
            negative = true
            position += 1
        }
        guard let token = next(), case .number(let text) = token.kind else { throw fail("expected an integer") }
        let value: Int64?
        if text.hasPrefix("0x") || text.hasPrefix("0X") {
            value = Int64(text.dropFirst(2), radix: 16)
        } else if text.count > 1, text.hasPrefix("0") {
            value = Int64(text.dropFirst(), radix: 8)
        } else {
            value = Int64(text)
        }
        guard let value, range.contains(negative ? -value : value) else { throw fail("\(negative ? "-" : "")\(text) is not an integer in \(range)") }
        return negative ? -value : value
    }

    private mutating func identifier() throws(SchemaRegistryError) -> String {
        guard let token = next(), case .identifier(let name) = token.kind else { throw fail("expected a name") }
        return name
    }

    private mutating func string() throws(SchemaRegistryError) -> String {
        guard let token = next(), case .string(let value) = token.kind else { throw fail("expected a string literal") }
        return value
    }

    private mutating func expect(_ symbol: Character) throws(SchemaRegistryError) {
        guard let token = next(), token.kind == .symbol(symbol) else { throw fail("expected \"\(symbol)\"") }
    }

    private func peek() -> ProtobufToken? {
        position < tokens.count ? tokens[position] : nil
    }

    private mutating func next() -> ProtobufToken? {
        defer { position += 1 }
        return peek()
    }

    private func describe(_ token: ProtobufToken) -> String {
        switch token.kind {
        case .identifier(let name): "\"\(name)\""
        case .number(let text): text
        case .string(let value): "\"\(value)\""
        case .symbol(let symbol): "\"\(symbol)\""
        }
    }

    private func fail(_ message: String) -> SchemaRegistryError {
        let line = tokens.isEmpty ? 1 : tokens[min(position, tokens.count - 1)].line
        return SchemaRegistryError(.invalidSchema, "Protobuf schema, line \(line): \(message)")
    }

    /// protoc's default JSON name: underscores dropped, the letter after each capitalised.
    static func jsonName(_ name: String) -> String {
        var result = ""
        var capitalizeNext = false
        for character in name {
            if character == "_" {
                capitalizeNext = true
            } else {
                result += capitalizeNext ? character.uppercased() : String(character)
                capitalizeNext = false
            }
        }
        return result
    }
}
