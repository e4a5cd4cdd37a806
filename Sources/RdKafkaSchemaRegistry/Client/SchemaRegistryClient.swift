import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Synchronization

/// A client for Confluent Schema Registry's REST API (and registries compatible with it).
///
/// ```swift
/// let registry = SchemaRegistryClient(configuration: .init(url: "http://localhost:8081"))
/// let registered = try await registry.register(Schema(customerSchema), subject: "customers-value")
/// let schema = try await registry.schema(id: registered.id)
/// ```
///
/// Schemas by id and ids by subject and schema are cached for the client's life: they never
/// change once registered, so a serializer or deserializer makes one request per schema,
/// not per record. Latest versions are not cached: ``latestVersion(subject:)`` always asks.
///
/// Requests go through AsyncHTTPClient's shared `HTTPClient`, so there is nothing to shut
/// down: release the client when done.
public final class SchemaRegistryClient: Sendable {
    public let configuration: SchemaRegistryConfiguration
    let http: HTTPClient
    let baseURL: String
    let cache = Mutex(Cache())

    struct Cache {
        var schemasByID: [Int32: Schema] = [:]
        var schemasByGUID: [String: Schema] = [:]
        var registered: [SubjectSchema: RegisteredSchema] = [:]
        /// Requests made, for tests proving the cache works.
        var requestCount = 0
    }

    struct SubjectSchema: Hashable {
        var subject: String
        var schema: Schema
    }

    public init(configuration: SchemaRegistryConfiguration) {
        self.configuration = configuration
        var url = configuration.url
        while url.hasSuffix("/") { url.removeLast() }
        baseURL = url
        // The process-wide client: it needs no shutdown, so releasing a registry client can
        // never leak or trap, and its connection pool is shared with other users of it.
        // TLS settings are given per request.
        http = HTTPClient.shared
    }

    /// How many HTTP requests the client has made.
    public var requestCount: Int { cache.withLock { $0.requestCount } }

    // MARK: - The REST API

    /// Registers `schema` under `subject` (or finds it registered) and returns its id and version.
    public func register(_ schema: Schema, subject: String) async throws(SchemaRegistryError) -> RegisteredSchema {
        if let known = cachedRegistration(schema, subject: subject) { return known }
        _ = try await execute(registerRequest(schema, subject: subject))
        // The register answer has only the id; the lookup gives the version as well.
        return try await lookUp(schema, subject: subject)
    }

    /// The registration of `schema` under `subject`; a ``SchemaRegistryError`` with error code
    /// 40401 or 40403 when it is not registered there.
    public func lookUp(_ schema: Schema, subject: String) async throws(SchemaRegistryError) -> RegisteredSchema {
        if let known = cachedRegistration(schema, subject: subject) { return known }
        let registered = try await execute(lookUpRequest(schema, subject: subject))
        remember(registered, for: schema)
        return registered
    }

    /// The schema with registry-wide id `id`.
    public func schema(id: Int32) async throws(SchemaRegistryError) -> Schema {
        if let known = cache.withLock({ $0.schemasByID[id] }) { return known }
        return try await execute(schemaByIDRequest(id))
    }

    /// The schema with GUID `guid` (registries that assign GUIDs).
    public func schema(guid: UUID) async throws(SchemaRegistryError) -> Schema {
        try await schema(for: .guid(guid))
    }

    /// The latest version registered under `subject`, asked each time.
    public func latestVersion(subject: String) async throws(SchemaRegistryError) -> RegisteredSchema {
        try await execute(versionRequest(subject: subject, version: "latest"))
    }

    /// Version `version` of `subject`.
    public func version(_ version: Int, subject: String) async throws(SchemaRegistryError) -> RegisteredSchema {
        try await execute(versionRequest(subject: subject, version: String(version)))
    }

    /// The versions registered under `subject`.
    public func versions(subject: String) async throws(SchemaRegistryError) -> [Int] {
        try await execute(RegistryRequest(method: .GET, path: "/subjects/\(Self.escape(subject))/versions", body: nil) { try Self.decode([Int].self, $0) })
    }

    /// The subjects the registry knows.
    public func subjects() async throws(SchemaRegistryError) -> [String] {
        try await execute(RegistryRequest(method: .GET, path: "/subjects", body: nil) { try Self.decode([String].self, $0) })
    }

    /// Whether `schema` is compatible with `version` of `subject` (the latest by default),
    /// under the subject's compatibility level.
    public func isCompatible(_ schema: Schema, subject: String, version: Int? = nil) async throws(SchemaRegistryError) -> Bool {
        let versionPath = version.map(String.init) ?? "latest"
        let request = RegistryRequest(
            method: .POST,
            path: "/compatibility/subjects/\(Self.escape(subject))/versions/\(versionPath)",
            body: try Self.encode(RegistryJSON.SchemaRequest(schema))
        ) { try Self.decode(RegistryJSON.CompatibilityResponse.self, $0).is_compatible }
        return try await execute(request)
    }

    // MARK: - Resolution shared by the async API and the serdes

    func schema(for id: SchemaID) async throws(SchemaRegistryError) -> Schema {
        if let known = cachedSchema(id) { return known }
        return try await execute(schemaRequest(id))
    }

    func cachedSchema(_ id: SchemaID) -> Schema? {
        cache.withLock { cache in
            switch id {
            case .id(let id): cache.schemasByID[id]
            case .guid(let guid): cache.schemasByGUID[guid.uuidString.lowercased()]
            }
        }
    }

    func cachedRegistration(_ schema: Schema, subject: String) -> RegisteredSchema? {
        cache.withLock { $0.registered[SubjectSchema(subject: subject, schema: schema)] }
    }

    func remember(_ registered: RegisteredSchema, for schema: Schema) {
        cache.withLock { cache in
            cache.registered[SubjectSchema(subject: registered.subject, schema: schema)] = registered
            cache.schemasByID[registered.id] = registered.schema
            if let guid = registered.guid { cache.schemasByGUID[guid.lowercased()] = registered.schema }
        }
    }

    func schemaRequest(_ id: SchemaID) -> RegistryRequest<Schema> {
        switch id {
        case .id(let id): schemaByIDRequest(id)
        case .guid(let guid):
            RegistryRequest(method: .GET, path: "/schemas/guids/\(guid.uuidString.lowercased())", body: nil) { [self] body in
                let schema = try Self.decode(RegistryJSON.SchemaResponse.self, body).value
                cache.withLock { $0.schemasByGUID[guid.uuidString.lowercased()] = schema }
                return schema
            }
        }
    }

    private func schemaByIDRequest(_ id: Int32) -> RegistryRequest<Schema> {
        RegistryRequest(method: .GET, path: "/schemas/ids/\(id)", body: nil) { [self] body in
            let schema = try Self.decode(RegistryJSON.SchemaResponse.self, body).value
            cache.withLock { $0.schemasByID[id] = schema }
            return schema
        }
    }

    func registerRequest(_ schema: Schema, subject: String) throws(SchemaRegistryError) -> RegistryRequest<RegistryJSON.IDResponse> {
        RegistryRequest(method: .POST, path: "/subjects/\(Self.escape(subject))/versions", body: try Self.encode(RegistryJSON.SchemaRequest(schema))) {
            try Self.decode(RegistryJSON.IDResponse.self, $0)
        }
    }

    func lookUpRequest(_ schema: Schema, subject: String) throws(SchemaRegistryError) -> RegistryRequest<RegisteredSchema> {
        RegistryRequest(method: .POST, path: "/subjects/\(Self.escape(subject))", body: try Self.encode(RegistryJSON.SchemaRequest(schema))) {
            try Self.decode(RegistryJSON.SubjectVersionResponse.self, $0).value
        }
    }

    func versionRequest(subject: String, version: String) -> RegistryRequest<RegisteredSchema> {
        RegistryRequest(method: .GET, path: "/subjects/\(Self.escape(subject))/versions/\(version)", body: nil) { [self] body in
            let registered = try Self.decode(RegistryJSON.SubjectVersionResponse.self, body).value
            cache.withLock { $0.schemasByID[registered.id] = registered.schema }
            return registered
        }
    }

    // MARK: - JSON

    static func encode(_ value: some Encodable) throws(SchemaRegistryError) -> [UInt8] {
        do {
            return Array(try JSONEncoder().encode(value))
        } catch {
            throw SchemaRegistryError(.invalidSchema, "could not encode the request: \(error)", underlyingError: error)
        }
    }

    static func decode<T: Decodable>(_ type: T.Type, _ body: [UInt8]) throws(SchemaRegistryError) -> T {
        do {
            return try JSONDecoder().decode(T.self, from: Data(body))
        } catch {
            let text = String(decoding: body.prefix(200), as: UTF8.self)
            throw SchemaRegistryError(.invalidResponse, "unexpected answer \(text): \(error)", underlyingError: error)
        }
    }

    static func escape(_ pathComponent: String) -> String {
        pathComponent.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? pathComponent
    }
}
