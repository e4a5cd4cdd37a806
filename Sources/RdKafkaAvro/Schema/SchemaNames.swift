/// The naming rules: names match `[A-Za-z_][A-Za-z0-9_]*`, namespaces are dot-separated
/// names, and a name without dots takes its namespace from the schema or its enclosing type.
enum SchemaNames {
    static func isValidName(_ name: String) -> Bool {
        var first = true
        for byte in name.utf8 {
            let isLetter = (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte | 0x20) || byte == UInt8(ascii: "_")
            let isDigit = (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
            guard isLetter || (!first && isDigit) else { return false }
            first = false
        }
        return !first
    }

    static func isValidNamespace(_ namespace: String) -> Bool {
        namespace.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { isValidName(String($0)) }
    }

    static func named(name: String, namespace: String?, enclosing: String?, path: String) throws(AvroError) -> NamedType {
        let shortName: String
        let space: String?
        if let dot = name.lastIndex(of: ".") {
            shortName = String(name[name.index(after: dot)...])
            space = String(name[..<dot])
        } else {
            shortName = name
            space = namespace ?? enclosing
        }
        let effectiveSpace = (space?.isEmpty ?? true) ? nil : space
        guard isValidName(shortName) else {
            throw AvroError(.invalidSchema, path: path, reason: "\"\(name)\" is not a valid name")
        }
        if let effectiveSpace, !isValidNamespace(effectiveSpace) {
            throw AvroError(.invalidSchema, path: path, reason: "\"\(effectiveSpace)\" is not a valid namespace")
        }
        let fullName = effectiveSpace.map { $0 + "." + shortName } ?? shortName
        return NamedType(fullName: fullName, name: shortName, namespace: effectiveSpace, aliases: [], doc: nil)
    }

    /// A named type's aliases, as full names (an alias without dots is in the type's namespace).
    static func aliases(_ json: JSONValue?, namespace: String?, path: String) throws(AvroError) -> [String] {
        guard let json else { return [] }
        guard case .array(let elements) = json else {
            throw AvroError(.invalidSchema, path: path, reason: "\"aliases\" must be an array of names")
        }
        var result: [String] = []
        for element in elements {
            guard let alias = element.stringValue else {
                throw AvroError(.invalidSchema, path: path, reason: "\"aliases\" must be an array of names")
            }
            result.append(try named(name: alias, namespace: nil, enclosing: namespace, path: path).fullName)
        }
        return result
    }

    static func fieldAliases(_ json: JSONValue?, path: String) throws(AvroError) -> [String] {
        guard let json else { return [] }
        guard case .array(let elements) = json else {
            throw AvroError(.invalidSchema, path: path, reason: "\"aliases\" must be an array of names")
        }
        var result: [String] = []
        for element in elements {
            guard let alias = element.stringValue, isValidName(alias) else {
                throw AvroError(.invalidSchema, path: path, reason: "\(element.serialized) is not a valid field alias")
            }
            result.append(alias)
        }
        return result
    }

    /// The part of a full name after its last dot.
    static func shortName(_ fullName: String) -> Substring {
        guard let dot = fullName.lastIndex(of: ".") else { return fullName[...] }
        return fullName[fullName.index(after: dot)...]
    }
}
