/// Writes a ``SchemaGraph`` back as JSON: the full form, which keeps every attribute, and
/// the Parsing Canonical Form, which keeps only what affects parsing.
enum SchemaWriter {
    static func json(_ graph: SchemaGraph, root: Int) -> String {
        var output = ""
        var defined: Set<String> = []
        writeFull(graph, root, enclosing: nil, defined: &defined, to: &output)
        return output
    }

    /// The Parsing Canonical Form: primitives as bare names, full names everywhere, only
    /// `name`, `type`, `fields`, `symbols`, `items`, `values` and `size`, in that order, and
    /// no whitespace.
    static func canonicalForm(_ graph: SchemaGraph, root: Int) -> String {
        var output = ""
        var defined: Set<String> = []
        writeCanonical(graph, root, defined: &defined, to: &output)
        return output
    }

    private static func writeCanonical(_ graph: SchemaGraph, _ index: Int, defined: inout Set<String>, to output: inout String) {
        let node = graph[index]
        if let named = node.named {
            guard defined.insert(named.fullName).inserted else {
                JSONValue.writeString(named.fullName, to: &output)
                return
            }
            output += "{\"name\":"
            JSONValue.writeString(named.fullName, to: &output)
        }
        switch node.kind {
        case .record(let record):
            output += ",\"type\":\"record\",\"fields\":["
            for (position, field) in record.fields.enumerated() {
                if position > 0 { output += "," }
                output += "{\"name\":"
                JSONValue.writeString(field.name, to: &output)
                output += ",\"type\":"
                writeCanonical(graph, field.type, defined: &defined, to: &output)
                output += "}"
            }
            output += "]}"
        case .enumeration(let enumeration):
            output += ",\"type\":\"enum\",\"symbols\":["
            output += enumeration.symbols.map { "\"\($0)\"" }.joined(separator: ",")
            output += "]}"
        case .fixed(let fixed):
            output += ",\"type\":\"fixed\",\"size\":\(fixed.size)}"
        case .array(let items):
            output += "{\"type\":\"array\",\"items\":"
            writeCanonical(graph, items, defined: &defined, to: &output)
            output += "}"
        case .map(let values):
            output += "{\"type\":\"map\",\"values\":"
            writeCanonical(graph, values, defined: &defined, to: &output)
            output += "}"
        case .union(let branches):
            output += "["
            for (position, branch) in branches.enumerated() {
                if position > 0 { output += "," }
                writeCanonical(graph, branch, defined: &defined, to: &output)
            }
            output += "]"
        default:
            output += "\"\(node.typeName)\""
        }
    }

    private static func writeFull(
        _ graph: SchemaGraph, _ index: Int, enclosing: String?, defined: inout Set<String>, to output: inout String
    ) {
        let node = graph[index]
        var members: [(key: String, value: String)] = []
        var namespace = enclosing
        if let named = node.named {
            guard defined.insert(named.fullName).inserted else {
                JSONValue.writeString(named.fullName, to: &output)
                return
            }
            members.append(("type", "\"\(node.typeName)\""))
            members.append(("name", quoted(named.name)))
            if named.namespace != enclosing { members.append(("namespace", quoted(named.namespace ?? ""))) }
            namespace = named.namespace
            if let doc = named.doc { members.append(("doc", quoted(doc))) }
            if !named.aliases.isEmpty { members.append(("aliases", "[" + named.aliases.map(quoted).joined(separator: ",") + "]")) }
        }
        switch node.kind {
        case .record(let record):
            var fields: [String] = []
            for field in record.fields {
                var fieldMembers: [(key: String, value: String)] = [("name", quoted(field.name))]
                var type = ""
                writeFull(graph, field.type, enclosing: namespace, defined: &defined, to: &type)
                fieldMembers.append(("type", type))
                if let doc = field.doc { fieldMembers.append(("doc", quoted(doc))) }
                if let defaultJSON = field.defaultJSON { fieldMembers.append(("default", defaultJSON.serialized)) }
                if let order = field.order { fieldMembers.append(("order", quoted(order))) }
                if !field.aliases.isEmpty { fieldMembers.append(("aliases", "[" + field.aliases.map(quoted).joined(separator: ",") + "]")) }
                fieldMembers += field.extraProperties.map { ($0.key, $0.value.serialized) }
                fields.append(object(fieldMembers))
            }
            members.append(("fields", "[" + fields.joined(separator: ",") + "]"))
        case .enumeration(let enumeration):
            members.append(("symbols", "[" + enumeration.symbols.map(quoted).joined(separator: ",") + "]"))
            if let defaultSymbol = enumeration.defaultSymbol { members.append(("default", quoted(defaultSymbol))) }
        case .fixed(let fixed):
            members.append(("size", "\(fixed.size)"))
        case .array(let items):
            var itemsJSON = ""
            writeFull(graph, items, enclosing: namespace, defined: &defined, to: &itemsJSON)
            members = [("type", "\"array\""), ("items", itemsJSON)]
        case .map(let values):
            var valuesJSON = ""
            writeFull(graph, values, enclosing: namespace, defined: &defined, to: &valuesJSON)
            members = [("type", "\"map\""), ("values", valuesJSON)]
        case .union(let branches):
            output += "["
            for (position, branch) in branches.enumerated() {
                if position > 0 { output += "," }
                writeFull(graph, branch, enclosing: namespace, defined: &defined, to: &output)
            }
            output += "]"
            return
        default:
            guard !node.extraProperties.isEmpty else {
                output += "\"\(node.typeName)\""
                return
            }
            members = [("type", "\"\(node.typeName)\"")]
        }
        members += node.extraProperties.map { ($0.key, $0.value.serialized) }
        output += object(members)
    }

    private static func quoted(_ string: String) -> String {
        var output = ""
        JSONValue.writeString(string, to: &output)
        return output
    }

    private static func object(_ members: [(key: String, value: String)]) -> String {
        "{" + members.map { quoted($0.key) + ":" + $0.value }.joined(separator: ",") + "}"
    }
}
