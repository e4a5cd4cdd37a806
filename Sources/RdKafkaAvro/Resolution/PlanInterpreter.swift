/// Runs a ``ResolutionPlan`` over encoded bytes.
struct PlanInterpreter {
    let plan: ResolutionPlan
    static let maximumDepth = 512
    /// The most items an array of zero-size values (such as nulls) may claim: such items
    /// take no input, so the input's length cannot bound them.
    static let maximumZeroSizeItems = 1 << 20

    private func tooDeep() -> AvroError {
        AvroError(.malformedData, reason: "the value nests deeper than \(PlanInterpreter.maximumDepth) levels")
    }

    func read(action index: Int, from input: inout BinaryReader, depth: Int) throws(AvroError) -> AvroValue {
        switch plan.actions[index] {
        case .null: return .null
        case .boolean: return .boolean(try input.readBoolean())
        case .int: return .int(try input.readInt())
        case .long: return .long(try input.readLong())
        case .float: return .float(try input.readFloat())
        case .double: return .double(try input.readDouble())
        case .bytes: return .bytes(try input.readBytes())
        case .string: return .string(try input.readString())
        case .intToLong: return .long(Int64(try input.readInt()))
        case .intToFloat: return .float(Float(try input.readInt()))
        case .intToDouble: return .double(Double(try input.readInt()))
        case .longToFloat: return .float(Float(try input.readLong()))
        case .longToDouble: return .double(Double(try input.readLong()))
        case .floatToDouble: return .double(Double(try input.readFloat()))
        case .stringToBytes: return .bytes(try input.readBytes())
        case .bytesToString: return .string(try input.readString())
        case .fixed(let size): return .fixed(try input.readFixed(size))
        case .enumeration(let symbols, let writerSymbols, let readerName):
            let position = Int(try input.readInt())
            guard symbols.indices.contains(position) else {
                throw AvroError(.malformedData, reason: "enum index \(position) out of range 0..<\(symbols.count)")
            }
            guard let symbol = symbols[position] else {
                throw AvroError(.incompatibleSchemas, reason: "the symbol \(writerSymbols[position]) is not in \(readerName), which has no default")
            }
            return .enumSymbol(symbol)
        case .array(let items, let itemMinimumSize):
            guard depth < PlanInterpreter.maximumDepth else { throw tooDeep() }
            var elements: [AvroValue] = []
            while true {
                let count = try input.readBlockCount()
                if count == 0 { break }
                if itemMinimumSize > 0 {
                    guard count <= input.remaining else {
                        throw AvroError(.malformedData, reason: "array block of \(count) items exceeds the \(input.remaining) bytes left")
                    }
                } else {
                    guard count <= PlanInterpreter.maximumZeroSizeItems - elements.count else {
                        throw AvroError(.malformedData, reason: "array of more than \(PlanInterpreter.maximumZeroSizeItems) zero-size items")
                    }
                }
                elements.reserveCapacity(elements.count + count)
                for _ in 0..<count {
                    do {
                        elements.append(try read(action: items, from: &input, depth: depth + 1))
                    } catch {
                        throw error.within("[\(elements.count)]")
                    }
                }
            }
            return .array(elements)
        case .map(let values):
            guard depth < PlanInterpreter.maximumDepth else { throw tooDeep() }
            var entries: [String: AvroValue] = [:]
            while true {
                let count = try input.readBlockCount()
                if count == 0 { break }
                // Each entry has at least a key length byte.
                guard count <= input.remaining else {
                    throw AvroError(.malformedData, reason: "map block of \(count) entries exceeds the \(input.remaining) bytes left")
                }
                for _ in 0..<count {
                    let key = try input.readString()
                    do {
                        entries[key] = try read(action: values, from: &input, depth: depth + 1)
                    } catch {
                        throw error.within("[\"\(key)\"]")
                    }
                }
            }
            return .map(entries)
        case .record(let record):
            guard depth < PlanInterpreter.maximumDepth else { throw tooDeep() }
            var fields = record.template
            for (step, name) in zip(record.steps, record.stepNames) {
                do {
                    switch step {
                    case .read(let action, let position):
                        fields[position].value = try read(action: action, from: &input, depth: depth + 1)
                    case .skip(let writerNode):
                        try skip(writerNode, in: &input, depth: depth + 1)
                    }
                } catch {
                    throw error.within(name)
                }
            }
            return .record(AvroRecord(fields))
        case .writerUnion(let branches):
            let branch = try input.readLong()
            guard branch >= 0, branch < branches.count else {
                throw AvroError(.malformedData, reason: "union branch \(branch) out of range 0..<\(branches.count)")
            }
            guard depth < PlanInterpreter.maximumDepth else { throw tooDeep() }
            return try read(action: branches[Int(branch)], from: &input, depth: depth + 1)
        case .readerUnion(let branch, let action):
            return .union(branch: branch, value: try read(action: action, from: &input, depth: depth + 1))
        case .failure(let reason):
            throw AvroError(.incompatibleSchemas, reason: reason)
        }
    }

    /// Reads past a value of writer node `index` that the reader does not want.
    func skip(_ index: Int, in input: inout BinaryReader, depth: Int) throws(AvroError) {
        guard depth < PlanInterpreter.maximumDepth else { throw tooDeep() }
        switch plan.writerGraph[index].kind {
        case .null: break
        case .boolean: _ = try input.readBoolean()
        case .int: _ = try input.readInt()
        case .long: _ = try input.readLong()
        case .float: try input.skip(4)
        case .double: try input.skip(8)
        case .bytes, .string: try input.skip(try input.readLength())
        case .fixed(let fixed): try input.skip(fixed.size)
        case .enumeration: _ = try input.readInt()
        case .array(let items), .map(let items):
            let isMap: Bool
            if case .map = plan.writerGraph[index].kind { isMap = true } else { isMap = false }
            var zeroSizeItems = 0
            while true {
                let (count, byteSize) = try input.readBlockHeader()
                if count == 0 { break }
                if let byteSize {
                    try input.skip(byteSize)
                    continue
                }
                // Every skipped item either consumes input or counts against the zero-size limit.
                let before = input.position
                for _ in 0..<count {
                    if isMap { try input.skip(try input.readLength()) }
                    try skip(items, in: &input, depth: depth + 1)
                    if input.position == before {
                        zeroSizeItems += 1
                        guard zeroSizeItems <= PlanInterpreter.maximumZeroSizeItems else {
                            throw AvroError(.malformedData, reason: "more than \(PlanInterpreter.maximumZeroSizeItems) zero-size items")
                        }
                    }
                }
            }
        case .record(let record):
            for field in record.fields { try skip(field.type, in: &input, depth: depth + 1) }
        case .union(let branches):
            let branch = try input.readLong()
            guard branch >= 0, branch < branches.count else {
                throw AvroError(.malformedData, reason: "union branch \(branch) out of range 0..<\(branches.count)")
            }
            try skip(branches[Int(branch)], in: &input, depth: depth + 1)
        }
    }
}
