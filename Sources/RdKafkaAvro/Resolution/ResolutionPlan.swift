/// How to read values written with one schema as another, worked out once per pair of
/// schemas: a table of actions that refer to each other by index (so recursive schemas
/// resolve to a finite plan).
final class ResolutionPlan: Sendable {
    enum Action: Sendable {
        case null, boolean, int, long, float, double, bytes, string
        case intToLong, intToFloat, intToDouble, longToFloat, longToDouble, floatToDouble
        case stringToBytes, bytesToString
        case fixed(size: Int)
        /// For each writer symbol, the reader's symbol (`nil`: unknown and no default).
        case enumeration(symbols: [String?], writerSymbols: [String], readerName: String)
        case array(items: Int, itemMinimumSize: Int)
        case map(values: Int)
        case record(RecordPlan)
        /// The writer's schema is a union: one action per writer branch.
        case writerUnion(branches: [Int])
        /// The reader's schema is a union and the writer's is not: the value goes to `branch`.
        case readerUnion(branch: Int, action: Int)
        /// A value reaching here cannot be read as the reader's schema.
        case failure(String)
    }

    struct RecordPlan: Sendable {
        enum Step: Sendable {
            case read(action: Int, position: Int)
            case skip(writerNode: Int)
        }
        var steps: [Step]
        /// The writer's field name for each step, for error paths.
        var stepNames: [String]
        /// The reader's fields in order, defaults filled in, the rest `.null` until read.
        var template: [AvroRecord.Field]
    }

    let actions: [Action]
    let root: Int
    let writerGraph: SchemaGraph
    /// The reader's root record name, which starts error paths.
    let rootName: String?

    init(writer: AvroSchema, reader: AvroSchema) throws(AvroError) {
        var builder = PlanBuilder(writer: writer.graph, reader: reader.graph)
        do {
            root = try builder.plan(writer.root, reader.root)
        } catch {
            throw reader.graph[reader.root].named.map { error.within($0.name) } ?? error
        }
        actions = builder.actions.map { $0 ?? .failure("unresolved") }
        writerGraph = writer.graph
        rootName = reader.graph[reader.root].named?.name
    }

    convenience init(identity schema: AvroSchema) {
        // A schema always resolves against itself; the fallback only keeps this non-throwing.
        do {
            try self.init(writer: schema, reader: schema)
        } catch {
            self.init(failure: error)
        }
    }

    private init(failure: AvroError) {
        actions = [.failure(failure.description)]
        root = 0
        writerGraph = SchemaGraph(nodes: [])
        rootName = nil
    }

    func read(_ input: inout BinaryReader) throws(AvroError) -> AvroValue {
        do {
            return try PlanInterpreter(plan: self).read(action: root, from: &input, depth: 0)
        } catch {
            throw rootName.map { error.within($0) } ?? error
        }
    }
}
