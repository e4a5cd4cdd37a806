/// Turns a schema's JSON into a ``SchemaGraph``: resolves names and namespaces, checks
/// every rule the specification states, and converts field defaults to values.
struct SchemaParser {
    private var nodes: [SchemaNode] = []
    /// Named types by full name, as they are defined.
    private var namedTypes: [String: Int] = [:]

    static let primitiveNames: Set<String> = ["null", "boolean", "int", "long", "float", "double", "bytes", "string"]

    static func parse(_ document: JSONValue) throws(AvroError) -> (SchemaGraph, Int) {
        var parser = SchemaParser()
        let root = try parser.parseSchema(document, namespace: nil, path: "")
        try parser.resolveDefaults()
        return (SchemaGraph(nodes: parser.nodes), root)
    }

    private func invalid(_ path: String, _ reason: String) -> AvroError {
        AvroError(.invalidSchema, path: path, reason: reason)
    }

    private mutating func append(_ node: SchemaNode) -> Int {
        nodes.append(node)
        return nodes.count - 1
    }

    private mutating func parseSchema(_ json: JSONValue, namespace: String?, path: String) throws(AvroError) -> Int {
        switch json {
        case .string(let name):
            return try reference(name, namespace: namespace, path: path)
        case .array(let branches):
            return try parseUnion(branches, namespace: namespace, path: path)
        case .object(let members):
            return try parseObject(members, json: json, namespace: namespace, path: path)
        default:
            throw invalid(path, "a schema is a type name, an object or a union array, not \(json.serialized)")
        }
    }

    private mutating func reference(_ name: String, namespace: String?, path: String) throws(AvroError) -> Int {
        if let primitive = SchemaParser.primitive(name) {
            return append(SchemaNode(kind: primitive))
        }
        if !name.contains("."), let namespace, let index = namedTypes[namespace + "." + name] {
            return index
        }
        if let index = namedTypes[name] {
            return index
        }
        throw invalid(path, "unknown type \"\(name)\"")
    }

    static func primitive(_ name: String) -> SchemaNode.Kind? {
        switch name {
        case "null": .null
        case "boolean": .boolean
        case "int": .int
        case "long": .long
        case "float": .float
        case "double": .double
        case "bytes": .bytes
        case "string": .string
        default: nil
        }
    }

    private mutating func parseUnion(_ branches: [JSONValue], namespace: String?, path: String) throws(AvroError) -> Int {
        var indexes: [Int] = []
        var seen: Set<String> = []
        for (position, branch) in branches.enumerated() {
            let index = try parseSchema(branch, namespace: namespace, path: path)
            let node = nodes[index]
            if case .union = node.kind {
                throw invalid(path, "a union may not directly contain another union (branch \(position))")
            }
            let key = node.named?.fullName ?? node.typeName
            guard seen.insert(key).inserted else {
                throw invalid(path, "a union may not contain \(key) twice")
            }
            indexes.append(index)
        }
        return append(SchemaNode(kind: .union(branches: indexes)))
    }

    private mutating func parseObject(
        _ members: [(key: String, value: JSONValue)], json: JSONValue, namespace: String?, path: String
    ) throws(AvroError) -> Int {
        guard let type = json["type"] else { throw invalid(path, "a schema object needs a \"type\"") }
        guard case .string(let typeName) = type else {
            // {"type": {...}} or {"type": [...]}: the attributes around a nested schema add nothing.
            return try parseSchema(type, namespace: namespace, path: path)
        }
        let index: Int
        switch typeName {
        case "record", "error":
            index = try parseRecord(json, isError: typeName == "error", namespace: namespace, path: path)
        case "enum":
            index = try parseEnum(json, namespace: namespace, path: path)
        case "fixed":
            index = try parseFixed(json, namespace: namespace, path: path)
        case "array":
            guard let items = json["items"] else { throw invalid(path, "an array needs \"items\"") }
            let itemsIndex = try parseSchema(items, namespace: namespace, path: path + "[]")
            index = append(SchemaNode(kind: .array(items: itemsIndex)))
        case "map":
            guard let values = json["values"] else { throw invalid(path, "a map needs \"values\"") }
            let valuesIndex = try parseSchema(values, namespace: namespace, path: path + "[]")
            index = append(SchemaNode(kind: .map(values: valuesIndex)))
        default:
            if let primitive = SchemaParser.primitive(typeName) {
                index = append(SchemaNode(kind: primitive))
            } else {
                // {"type": "com.example.Name"} refers to a named type; its attributes stay with the definition.
                return try reference(typeName, namespace: namespace, path: path)
            }
        }
        let structural: Set<String> = SchemaParser.structuralAttributes(nodes[index].kind)
        nodes[index].extraProperties = members.filter { !structural.contains($0.key) }
        nodes[index].logicalType = LogicalTypeParser.logicalType(of: nodes[index], in: nodes)
        return index
    }

    static func structuralAttributes(_ kind: SchemaNode.Kind) -> Set<String> {
        switch kind {
        case .record: ["type", "name", "namespace", "doc", "aliases", "fields"]
        case .enumeration: ["type", "name", "namespace", "doc", "aliases", "symbols", "default"]
        case .fixed: ["type", "name", "namespace", "doc", "aliases", "size"]
        case .array: ["type", "items"]
        case .map: ["type", "values"]
        default: ["type"]
        }
    }

    // MARK: Named types

    private mutating func define(_ json: JSONValue, namespace: String?, path: String) throws(AvroError) -> NamedType {
        guard let name = json["name"]?.stringValue else { throw invalid(path, "a named type needs a string \"name\"") }
        let explicitNamespace: String?
        switch json["namespace"] {
        case nil, .null?: explicitNamespace = nil
        case .string(let value)?: explicitNamespace = value
        default: throw invalid(path, "\"namespace\" must be a string")
        }
        var named = try SchemaNames.named(name: name, namespace: explicitNamespace, enclosing: namespace, path: path)
        guard !SchemaParser.primitiveNames.contains(named.fullName) else {
            throw invalid(path, "\"\(named.fullName)\" is a primitive type name and cannot be redefined")
        }
        guard namedTypes[named.fullName] == nil else { throw invalid(path, "\"\(named.fullName)\" is defined twice") }
        named.aliases = try SchemaNames.aliases(json["aliases"], namespace: named.namespace, path: path)
        switch json["doc"] {
        case nil: break
        case .string(let doc)?: named.doc = doc
        default: throw invalid(path, "\"doc\" must be a string")
        }
        return named
    }

    private mutating func parseRecord(_ json: JSONValue, isError: Bool, namespace: String?, path: String) throws(AvroError) -> Int {
        let named = try define(json, namespace: namespace, path: path)
        let recordPath = path.isEmpty ? named.name : path
        // Reserved before the fields are parsed, so a field can refer to the record itself.
        let index = append(SchemaNode(kind: .record(RecordSchema(named: named, isError: isError, fields: [], fieldIndex: [:]))))
        namedTypes[named.fullName] = index
        guard case .array(let fieldsJSON)? = json["fields"] else { throw invalid(recordPath, "a record needs a \"fields\" array") }
        var fields: [FieldSchema] = []
        var fieldIndex: [String: Int] = [:]
        for fieldJSON in fieldsJSON {
            guard case .object(let members) = fieldJSON, let name = fieldJSON["name"]?.stringValue else {
                throw invalid(recordPath, "each field needs a string \"name\"")
            }
            let fieldPath = recordPath + "." + name
            guard SchemaNames.isValidName(name) else { throw invalid(fieldPath, "\"\(name)\" is not a valid field name") }
            guard fieldIndex[name] == nil else { throw invalid(fieldPath, "the field \"\(name)\" appears twice") }
            guard let typeJSON = fieldJSON["type"] else { throw invalid(fieldPath, "a field needs a \"type\"") }
            let type = try parseSchema(typeJSON, namespace: named.namespace, path: fieldPath)
            var field = FieldSchema(
                name: name, type: type, doc: nil, aliases: [], order: nil, defaultJSON: fieldJSON["default"],
                defaultValue: nil, extraProperties: []
            )
            switch fieldJSON["doc"] {
            case nil: break
            case .string(let doc)?: field.doc = doc
            default: throw invalid(fieldPath, "\"doc\" must be a string")
            }
            switch fieldJSON["order"] {
            case nil: break
            case .string(let order)? where ["ascending", "descending", "ignore"].contains(order): field.order = order
            default: throw invalid(fieldPath, "\"order\" must be ascending, descending or ignore")
            }
            field.aliases = try SchemaNames.fieldAliases(fieldJSON["aliases"], path: fieldPath)
            let known: Set<String> = ["name", "type", "doc", "default", "order", "aliases"]
            field.extraProperties = members.filter { !known.contains($0.key) }
            fieldIndex[name] = fields.count
            fields.append(field)
        }
        nodes[index].kind = .record(RecordSchema(named: named, isError: isError, fields: fields, fieldIndex: fieldIndex))
        return index
    }

    private mutating func parseEnum(_ json: JSONValue, namespace: String?, path: String) throws(AvroError) -> Int {
        let named = try define(json, namespace: namespace, path: path)
        let enumPath = path.isEmpty ? named.name : path
        guard case .array(let symbolsJSON)? = json["symbols"] else { throw invalid(enumPath, "an enum needs a \"symbols\" array") }
        var symbols: [String] = []
        var symbolIndex: [String: Int] = [:]
        for symbolJSON in symbolsJSON {
            guard let symbol = symbolJSON.stringValue, SchemaNames.isValidName(symbol) else {
                throw invalid(enumPath, "\(symbolJSON.serialized) is not a valid enum symbol")
            }
            guard symbolIndex[symbol] == nil else { throw invalid(enumPath, "the symbol \(symbol) appears twice") }
            symbolIndex[symbol] = symbols.count
            symbols.append(symbol)
        }
        var defaultSymbol: String?
        if let defaultJSON = json["default"] {
            guard let symbol = defaultJSON.stringValue, symbolIndex[symbol] != nil else {
                throw invalid(enumPath, "the enum default \(defaultJSON.serialized) is not one of its symbols")
            }
            defaultSymbol = symbol
        }
        let enumeration = EnumSchema(named: named, symbols: symbols, symbolIndex: symbolIndex, defaultSymbol: defaultSymbol)
        let index = append(SchemaNode(kind: .enumeration(enumeration)))
        namedTypes[named.fullName] = index
        return index
    }

    private mutating func parseFixed(_ json: JSONValue, namespace: String?, path: String) throws(AvroError) -> Int {
        let named = try define(json, namespace: namespace, path: path)
        guard let size = json["size"]?.integerValue, size >= 0, size <= Int32.max else {
            throw invalid(path.isEmpty ? named.name : path, "a fixed needs a non-negative integer \"size\"")
        }
        let index = append(SchemaNode(kind: .fixed(FixedSchema(named: named, size: Int(size)))))
        namedTypes[named.fullName] = index
        return index
    }

    // MARK: Defaults

    /// Converts every field default once all types are known (a default may hold a value of
    /// a type defined after the field).
    private mutating func resolveDefaults() throws(AvroError) {
        for index in nodes.indices {
            guard case .record(let record) = nodes[index].kind else { continue }
            var fields = record.fields
            var changed = false
            for position in fields.indices {
                guard let json = fields[position].defaultJSON else { continue }
                let path = record.named.name + "." + fields[position].name
                fields[position].defaultValue = try DefaultValues(nodes: nodes).value(json, node: fields[position].type, path: path, depth: 0)
                changed = true
            }
            if changed {
                nodes[index].kind = .record(RecordSchema(named: record.named, isError: record.isError, fields: fields, fieldIndex: record.fieldIndex))
            }
        }
    }
}
