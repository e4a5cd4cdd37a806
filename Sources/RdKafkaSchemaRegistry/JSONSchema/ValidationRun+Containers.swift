import RdKafkaAvro

/// The keywords of arrays and objects.
extension ValidationRun {
    mutating func arrayKeyword(
        _ name: String, _ value: JSONValue, _ elements: [JSONValue], in schema: JSONValue, path: String, depth: Int
    ) throws(Failure) -> Failure? {
        func violation(_ reason: String) -> Failure { Failure(.violation, instancePath: path, keyword: name, reason: reason) }
        switch name {
        case "minItems":
            guard let limit = value.integerValue else { return nil }
            return elements.count >= limit ? nil : violation("fewer than \(limit) items")
        case "maxItems":
            guard let limit = value.integerValue else { return nil }
            return elements.count <= limit ? nil : violation("more than \(limit) items")
        case "uniqueItems":
            guard case .bool(true) = value else { return nil }
            for second in elements.indices {
                try spend(second, path: path)
                if let first = elements[..<second].firstIndex(where: { JSONEquality.equal($0, elements[second]) }) {
                    return violation("items \(first) and \(second) are equal")
                }
            }
            return nil
        case "prefixItems":
            guard case .array(let schemas) = value else { return nil }
            return try checkItems(elements, schemas: schemas, rest: nil, path: path, depth: depth)
        case "items":
            switch value {
            case .array(let schemas):
                // Draft-07's tuple form; additionalItems covers the rest.
                return try checkItems(elements, schemas: schemas, rest: schema["additionalItems"], path: path, depth: depth)
            default:
                // In 2020-12, items covers what prefixItems does not.
                let skipped: Int
                if case .array(let prefix)? = schema["prefixItems"] { skipped = prefix.count } else { skipped = 0 }
                return try checkItems(elements, schemas: [], rest: value, from: skipped, path: path, depth: depth)
            }
        case "contains":
            for (position, element) in elements.enumerated() {
                if try check(element, against: value, path: JSONPointer.appending(path, String(position)), depth: depth + 1) == nil { return nil }
            }
            return violation("no item matches the contains schema")
        default:
            return nil
        }
    }

    private mutating func checkItems(
        _ elements: [JSONValue], schemas: [JSONValue], rest: JSONValue?, from start: Int = 0, path: String, depth: Int
    ) throws(Failure) -> Failure? {
        for position in elements.indices where position >= start {
            let itemSchema = position < schemas.count ? schemas[position] : rest
            guard let itemSchema else { break }
            if let failure = try check(elements[position], against: itemSchema, path: JSONPointer.appending(path, String(position)), depth: depth + 1) {
                return failure
            }
        }
        return nil
    }

    mutating func objectKeyword(
        _ name: String, _ value: JSONValue, _ members: [(key: String, value: JSONValue)], in schema: JSONValue, path: String, depth: Int
    ) throws(Failure) -> Failure? {
        func violation(_ reason: String) -> Failure { Failure(.violation, instancePath: path, keyword: name, reason: reason) }
        switch name {
        case "required":
            guard case .array(let names) = value else { return nil }
            try spend(names.count, path: path)
            for case .string(let required) in names where !members.contains(where: { $0.key == required }) {
                return Failure(.violation, instancePath: JSONPointer.appending(path, required), keyword: name, reason: "the required member \(required) is missing")
            }
            return nil
        case "minProperties":
            guard let limit = value.integerValue else { return nil }
            return members.count >= limit ? nil : violation("fewer than \(limit) members")
        case "maxProperties":
            guard let limit = value.integerValue else { return nil }
            return members.count <= limit ? nil : violation("more than \(limit) members")
        case "properties":
            guard case .object(let properties) = value else { return nil }
            for member in members {
                guard let property = properties.first(where: { $0.key == member.key }) else { continue }
                if let failure = try check(member.value, against: property.value, path: JSONPointer.appending(path, member.key), depth: depth + 1) {
                    return failure
                }
            }
            return nil
        case "patternProperties":
            guard case .object(let patternSchemas) = value else { return nil }
            for member in members {
                for entry in patternSchemas where patterns[entry.key].map({ JSONTypes.matches(member.key, $0) }) == true {
                    if let failure = try check(member.value, against: entry.value, path: JSONPointer.appending(path, member.key), depth: depth + 1) {
                        return failure
                    }
                }
            }
            return nil
        case "additionalProperties":
            for member in members where !isDeclared(member.key, in: schema) {
                if case .bool(false) = value {
                    return Failure(.violation, instancePath: JSONPointer.appending(path, member.key), keyword: name, reason: "the member \(member.key) is not allowed")
                }
                if let failure = try check(member.value, against: value, path: JSONPointer.appending(path, member.key), depth: depth + 1) {
                    return failure
                }
            }
            return nil
        case "propertyNames":
            for member in members {
                if let failure = try check(.string(member.key), against: value, path: JSONPointer.appending(path, member.key), depth: depth + 1) {
                    return failure
                }
            }
            return nil
        default:
            return nil
        }
    }

    /// Whether `properties` or `patternProperties` covers `key` (additionalProperties covers the rest).
    private func isDeclared(_ key: String, in schema: JSONValue) -> Bool {
        if case .object(let properties)? = schema["properties"], properties.contains(where: { $0.key == key }) { return true }
        if case .object(let patternSchemas)? = schema["patternProperties"] {
            return patternSchemas.contains { entry in patterns[entry.key].map { JSONTypes.matches(key, $0) } == true }
        }
        return false
    }
}
