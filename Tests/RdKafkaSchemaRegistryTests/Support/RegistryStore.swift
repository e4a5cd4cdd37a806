import Foundation
import RdKafkaAvro

/// The state of the in-process registry, and its answer to each REST call of the documented
/// subset: a value type, tested through the HTTP server that wraps it.
struct RegistryStore {
    struct StoredSchema: Equatable {
        var text: String
        var type: String
        var guid: UUID
    }

    private(set) var schemas: [StoredSchema] = []
    /// Per subject, the schema id of each version (version n at index n - 1).
    private(set) var subjects: [String: [Int32]] = [:]
    private(set) var requestCount = 0

    struct Response {
        var status: Int
        var body: Any
    }

    mutating func handle(method: String, path: String, body: [UInt8]) -> Response {
        requestCount += 1
        let parts = path.split(separator: "?")[0].split(separator: "/").map { $0.removingPercentEncoding ?? String($0) }
        let request = body.isEmpty ? [:] : (try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any]) ?? [:]
        switch (method, parts.count, parts.first) {
        case ("GET", 1, "subjects"):
            return Response(status: 200, body: subjects.keys.sorted())
        case ("GET", 3, "schemas") where parts[1] == "ids":
            guard let id = Int32(parts[2]), id >= 1, Int(id) <= schemas.count else { return error(404, 40403, "Schema not found") }
            return Response(status: 200, body: schemaBody(schemas[Int(id) - 1]))
        case ("GET", 3, "schemas") where parts[1] == "guids":
            guard let stored = schemas.first(where: { $0.guid.uuidString.lowercased() == parts[2].lowercased() }) else {
                return error(404, 40403, "Schema not found")
            }
            return Response(status: 200, body: schemaBody(stored))
        case ("GET", 3, "subjects") where parts[2] == "versions":
            guard let versions = subjects[parts[1]] else { return error(404, 40401, "Subject '\(parts[1])' not found.") }
            return Response(status: 200, body: Array(1...versions.count))
        case ("GET", 4, "subjects") where parts[2] == "versions":
            return version(subject: parts[1], parts[3])
        case ("POST", 3, "subjects") where parts[2] == "versions":
            return register(subject: parts[1], request)
        case ("POST", 2, "subjects"):
            return lookUp(subject: parts[1], request)
        case ("POST", 5, "compatibility") where parts[1] == "subjects" && parts[3] == "versions":
            guard let (text, type) = schemaOf(request) else { return error(422, 42201, "Invalid schema") }
            guard let versions = subjects[parts[2]] else { return error(404, 40401, "Subject not found.") }
            guard let index = versionIndex(parts[4], count: versions.count) else { return error(404, 40402, "Version not found.") }
            return Response(status: 200, body: ["is_compatible": isCompatible(text, type, with: schemas[Int(versions[index]) - 1])])
        default:
            return error(404, 404, "HTTP 404 Not Found")
        }
    }

    private func error(_ status: Int, _ code: Int, _ message: String) -> Response {
        Response(status: status, body: ["error_code": code, "message": message])
    }

    private func schemaBody(_ stored: StoredSchema) -> [String: Any] {
        var body: [String: Any] = ["schema": stored.text, "guid": stored.guid.uuidString.lowercased()]
        if stored.type != "AVRO" { body["schemaType"] = stored.type }
        return body
    }

    private func subjectVersionBody(subject: String, version: Int, id: Int32) -> [String: Any] {
        var body = schemaBody(schemas[Int(id) - 1])
        body["subject"] = subject
        body["version"] = version
        body["id"] = id
        return body
    }

    private func schemaOf(_ request: [String: Any]) -> (String, String)? {
        guard let text = request["schema"] as? String else { return nil }
        let type = request["schemaType"] as? String ?? "AVRO"
        if type == "AVRO", (try? AvroSchema(parsing: text)) == nil { return nil }
        return (text, type)
    }

    private func versionIndex(_ version: String, count: Int) -> Int? {
        if version == "latest" { return count > 0 ? count - 1 : nil }
        guard let number = Int(version), number >= 1, number <= count else { return nil }
        return number - 1
    }

    private func version(subject: String, _ version: String) -> Response {
        guard let versions = subjects[subject] else { return error(404, 40401, "Subject '\(subject)' not found.") }
        guard version == "latest" || Int(version) != nil else { return error(422, 42202, "The specified version '\(version)' is not a valid version id.") }
        guard let index = versionIndex(version, count: versions.count) else { return error(404, 40402, "Version \(version) not found.") }
        return Response(status: 200, body: subjectVersionBody(subject: subject, version: index + 1, id: versions[index]))
    }

    /// Same text and type; Avro compares Parsing Canonical Forms, as the registry does.
    private func matches(_ stored: StoredSchema, _ text: String, _ type: String) -> Bool {
        guard stored.type == type else { return false }
        if type == "AVRO", let a = try? AvroSchema(parsing: stored.text), let b = try? AvroSchema(parsing: text) {
            return a.canonicalForm == b.canonicalForm
        }
        return stored.text == text
    }

    private func lookUp(subject: String, _ request: [String: Any]) -> Response {
        guard let (text, type) = schemaOf(request) else { return error(422, 42201, "Invalid schema") }
        guard let versions = subjects[subject] else { return error(404, 40401, "Subject '\(subject)' not found.") }
        guard let index = versions.firstIndex(where: { matches(schemas[Int($0) - 1], text, type) }) else {
            return error(404, 40403, "Schema not found")
        }
        return Response(status: 200, body: subjectVersionBody(subject: subject, version: index + 1, id: versions[index]))
    }

    /// BACKWARD compatibility, the registry's default: the new schema reads what the latest wrote.
    private func isCompatible(_ text: String, _ type: String, with latest: StoredSchema) -> Bool {
        guard type == "AVRO", latest.type == "AVRO" else { return true }
        guard let reader = try? AvroSchema(parsing: text), let writer = try? AvroSchema(parsing: latest.text) else { return false }
        return (try? AvroReader(writer: writer, reader: reader)) != nil
    }

    private mutating func register(subject: String, _ request: [String: Any]) -> Response {
        guard let (text, type) = schemaOf(request) else { return error(422, 42201, "Either the input schema or one of its references is invalid") }
        let versions = subjects[subject] ?? []
        if let existing = versions.first(where: { matches(schemas[Int($0) - 1], text, type) }) {
            return Response(status: 200, body: ["id": existing])
        }
        if let latest = versions.last, !isCompatible(text, type, with: schemas[Int(latest) - 1]) {
            return error(409, 409, "Schema being registered is incompatible with an earlier schema for subject \"\(subject)\"")
        }
        let id: Int32
        if let index = schemas.firstIndex(where: { matches($0, text, type) }) {
            id = Int32(index + 1)
        } else {
            schemas.append(StoredSchema(text: text, type: type, guid: UUID()))
            id = Int32(schemas.count)
        }
        subjects[subject, default: []].append(id)
        return Response(status: 200, body: ["id": id, "guid": schemas[Int(id) - 1].guid.uuidString.lowercased()])
    }
}
