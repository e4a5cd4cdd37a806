/// Writes a ``SchemaGraph`` back as JSON: the full form and the Parsing Canonical Form.
enum SchemaWriter {
    static func json(_ graph: SchemaGraph, root: Int) -> String {
        ""
    }

    static func canonicalForm(_ graph: SchemaGraph, root: Int) -> String {
        ""
    }
}
