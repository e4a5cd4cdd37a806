/// Builds a ``ResolutionPlan`` by the specification's resolution rules.
struct PlanBuilder {
    let writer: SchemaGraph
    let reader: SchemaGraph
    var actions: [ResolutionPlan.Action?] = []
    private var planned: [Pair: Int] = [:]

    private struct Pair: Hashable {
        var writer: Int
        var reader: Int
    }

    init(writer: SchemaGraph, reader: SchemaGraph) {
        self.writer = writer
        self.reader = reader
    }

    private func incompatible(_ reason: String) -> AvroError {
        AvroError(.incompatibleSchemas, reason: reason)
    }

    /// The action reading writer node `w` as reader node `r`; throws when no value can be.
    mutating func plan(_ w: Int, _ r: Int) throws(AvroError) -> Int {
        let pair = Pair(writer: w, reader: r)
        if let index = planned[pair] { return index }
        let index = actions.count
        actions.append(nil)
        planned[pair] = index
        do {
            actions[index] = try action(w, r)
        } catch {
            planned[pair] = nil
            throw error
        }
        return index
    }

    /// Like ``plan(_:_:)``, but an impossible pair becomes an action that fails only when a
    /// value reaches it (a union branch the reader cannot read).
    private mutating func planOrFailure(_ w: Int, _ r: Int) -> Int {
        do {
            return try plan(w, r)
        } catch {
            actions.append(.failure(error.description))
            return actions.count - 1
        }
    }

    private mutating func action(_ w: Int, _ r: Int) throws(AvroError) -> ResolutionPlan.Action {
        let writerNode = writer[w]
        let readerNode = reader[r]
        switch (writerNode.kind, readerNode.kind) {
        case (.union(let branches), _):
            var actions: [Int] = []
            for branch in branches { actions.append(planOrFailure(branch, r)) }
            return .writerUnion(branches: actions)
        case (_, .union(let branches)):
            guard let branch = selectBranch(w, branches) else {
                throw incompatible("the reader's union has no branch for the writer's \(describe(writerNode))")
            }
            return .readerUnion(branch: branch, action: try plan(w, branches[branch]))
        case (.null, .null): return .null
        case (.boolean, .boolean): return .boolean
        case (.int, .int): return .int
        case (.int, .long): return .intToLong
        case (.int, .float): return .intToFloat
        case (.int, .double): return .intToDouble
        case (.long, .long): return .long
        case (.long, .float): return .longToFloat
        case (.long, .double): return .longToDouble
        case (.float, .float): return .float
        case (.float, .double): return .floatToDouble
        case (.double, .double): return .double
        case (.bytes, .bytes): return .bytes
        case (.bytes, .string): return .bytesToString
        case (.string, .string): return .string
        case (.string, .bytes): return .stringToBytes
        case (.fixed(let writerFixed), .fixed(let readerFixed)):
            guard namesMatch(writerFixed.named, readerFixed.named) else { throw nameMismatch(writerFixed.named, readerFixed.named) }
            guard writerFixed.size == readerFixed.size else {
                throw incompatible("fixed \(readerFixed.named.fullName) has size \(readerFixed.size), the writer's \(writerFixed.size)")
            }
            return .fixed(size: readerFixed.size)
        case (.enumeration(let writerEnum), .enumeration(let readerEnum)):
            guard namesMatch(writerEnum.named, readerEnum.named) else { throw nameMismatch(writerEnum.named, readerEnum.named) }
            let symbols = writerEnum.symbols.map { readerEnum.symbolIndex[$0] != nil ? $0 : readerEnum.defaultSymbol }
            return .enumeration(symbols: symbols, writerSymbols: writerEnum.symbols, readerName: readerEnum.named.fullName)
        case (.array(let writerItems), .array(let readerItems)):
            let items: Int
            do { items = try plan(writerItems, readerItems) } catch { throw error.within("[]") }
            return .array(items: items, itemMinimumSize: minimumSize(writerItems, visiting: []))
        case (.map(let writerValues), .map(let readerValues)):
            do { return .map(values: try plan(writerValues, readerValues)) } catch { throw error.within("[]") }
        case (.record(let writerRecord), .record(let readerRecord)):
            guard namesMatch(writerRecord.named, readerRecord.named) else { throw nameMismatch(writerRecord.named, readerRecord.named) }
            return .record(try recordPlan(writerRecord, readerRecord))
        default:
            throw incompatible("the writer's \(describe(writerNode)) cannot be read as \(describe(readerNode))")
        }
    }

    private mutating func recordPlan(_ writerRecord: RecordSchema, _ readerRecord: RecordSchema) throws(AvroError) -> ResolutionPlan.RecordPlan {
        var steps: [ResolutionPlan.RecordPlan.Step] = []
        var stepNames: [String] = []
        var filled = Array(repeating: false, count: readerRecord.fields.count)
        for writerField in writerRecord.fields {
            stepNames.append(writerField.name)
            let position = readerRecord.fieldIndex[writerField.name]
                ?? readerRecord.fields.firstIndex { $0.aliases.contains(writerField.name) }
            guard let position, !filled[position] else {
                steps.append(.skip(writerNode: writerField.type))
                continue
            }
            filled[position] = true
            do {
                steps.append(.read(action: try plan(writerField.type, readerRecord.fields[position].type), position: position))
            } catch {
                throw error.within(readerRecord.fields[position].name)
            }
        }
        var template: [AvroRecord.Field] = []
        for (position, field) in readerRecord.fields.enumerated() {
            if filled[position] {
                template.append(.init(name: field.name, value: .null))
            } else if let defaultValue = field.defaultValue {
                template.append(.init(name: field.name, value: defaultValue))
            } else {
                throw AvroError(.incompatibleSchemas, path: field.name, reason: "the writer lacks this field and it has no default")
            }
        }
        return .init(steps: steps, stepNames: stepNames, template: template)
    }

    /// The reader union's branch for a writer's non-union type: the first of the same type
    /// (and name), else the first the writer's type promotes to.
    private func selectBranch(_ w: Int, _ branches: [Int]) -> Int? {
        let writerNode = writer[w]
        let exact = branches.firstIndex { branch in
            let readerNode = reader[branch]
            guard readerNode.typeName == writerNode.typeName || (isRecord(readerNode) && isRecord(writerNode)) else { return false }
            guard let writerNamed = writerNode.named, let readerNamed = readerNode.named else { return true }
            return namesMatch(writerNamed, readerNamed)
        }
        if let exact { return exact }
        let promotions: [String: [String]] = [
            "int": ["long", "float", "double"], "long": ["float", "double"], "float": ["double"],
            "string": ["bytes"], "bytes": ["string"],
        ]
        let targets = promotions[writerNode.typeName] ?? []
        return branches.firstIndex { targets.contains(reader[$0].typeName) }
    }

    private func isRecord(_ node: SchemaNode) -> Bool {
        if case .record = node.kind { return true }
        return false
    }

    /// Names match when the full or unqualified names are equal, or the reader lists the
    /// writer's name among its aliases.
    private func namesMatch(_ writerNamed: NamedType, _ readerNamed: NamedType) -> Bool {
        writerNamed.fullName == readerNamed.fullName || writerNamed.name == readerNamed.name
            || readerNamed.aliases.contains(writerNamed.fullName)
            || readerNamed.aliases.contains { SchemaNames.shortName($0) == writerNamed.name }
    }

    private func nameMismatch(_ writerNamed: NamedType, _ readerNamed: NamedType) -> AvroError {
        incompatible("the writer's \(writerNamed.fullName) is not the reader's \(readerNamed.fullName) (nor one of its aliases)")
    }

    private func describe(_ node: SchemaNode) -> String {
        node.named.map { "\(node.typeName) \($0.fullName)" } ?? node.typeName
    }

    /// The fewest bytes a value of writer node `index` takes, so an array block count can be
    /// checked against the input left. Zero for null, empty records and fixed(0).
    func minimumSize(_ index: Int, visiting: Set<Int>) -> Int {
        switch writer[index].kind {
        case .null: return 0
        case .fixed(let fixed): return min(fixed.size, 1)
        case .record(let record):
            guard !visiting.contains(index) else { return 1 }
            let inner = visiting.union([index])
            return record.fields.contains { minimumSize($0.type, visiting: inner) > 0 } ? 1 : 0
        default: return 1
        }
    }
}
