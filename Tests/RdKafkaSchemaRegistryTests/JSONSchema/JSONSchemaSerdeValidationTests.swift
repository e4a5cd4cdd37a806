import Foundation
import RdKafkaSchemaRegistry
import Testing

@Suite("JSON Schema serdes validate")
struct JSONSchemaSerdeValidationTests {
    struct Order: Codable, Equatable, Sendable {
        var id: String
        var amount: Int
        var lines: [Line]
    }

    struct Line: Codable, Equatable, Sendable {
        var sku: String
        var quantity: Int
    }

    static let schema = #"""
    {"$schema": "https://json-schema.org/draft/2020-12/schema", "title": "Order", "type": "object",
     "properties": {"id": {"type": "string", "pattern": "^o-"}, "amount": {"type": "integer", "minimum": 0},
                    "lines": {"type": "array", "items": {"$ref": "#/$defs/line"}}},
     "required": ["id", "amount"],
     "$defs": {"line": {"type": "object", "properties": {"sku": {"type": "string", "minLength": 3}, "quantity": {"type": "integer", "minimum": 1}}}}}
    """#

    @Test("The serializer refuses a value that breaks the schema, naming it by JSON pointer, and sends one that fits")
    func serializer() async throws {
        let registry = try await RegistryFixture.start()
        let serializer = JSONSchemaSerializer<Order>(registry: registry.client, schema: Self.schema)
        let topic = "orders"
        try await serializer.prepare(topics: [topic])

        let good = Order(id: "o-1", amount: 5, lines: [Line(sku: "abc", quantity: 1)])
        let bytes = try #require(try serializer.serialize(good, topic: topic))
        #expect(bytes.first == 0)

        let bad = Order(id: "o-2", amount: 5, lines: [Line(sku: "abc", quantity: 1), Line(sku: "x", quantity: 1)])
        let error = #expect(throws: SchemaRegistryError.self) { try serializer.serialize(bad, topic: topic) }
        #expect(error?.kind == .serialization)
        let validation = error?.underlyingError as? JSONSchemaValidationError
        #expect(validation?.instancePath == "/lines/1/sku")
        #expect(validation?.keyword == "minLength")

        // Validation off: the same value is sent.
        let unchecked = JSONSchemaSerializer<Order>(registry: registry.client, schema: Self.schema, validate: false)
        #expect(try unchecked.serialize(bad, topic: topic) != nil)
        try await registry.stop()
    }

    @Test("The deserializer checks records against their writer's schema when asked")
    func deserializer() async throws {
        let registry = try await RegistryFixture.start()
        let topic = "orders"
        let unchecked = JSONSchemaSerializer<Order>(registry: registry.client, schema: Self.schema, validate: false)
        try await unchecked.prepare(topics: [topic])
        let bad = Order(id: "x-1", amount: 5, lines: [])
        let bytes = try #require(try unchecked.serialize(bad, topic: topic))

        let lenient = JSONSchemaDeserializer<Order>(registry: registry.client)
        #expect(try bytes.withUnsafeBytes { try lenient.deserialize($0, topic: topic) } == bad)

        let strict = JSONSchemaDeserializer<Order>(registry: registry.client, validate: true)
        let error = #expect(throws: SchemaRegistryError.self) { try bytes.withUnsafeBytes { try strict.deserialize($0, topic: topic) } }
        let validation = error?.underlyingError as? JSONSchemaValidationError
        #expect(validation?.instancePath == "/id")
        #expect(validation?.keyword == "pattern")
        try await registry.stop()
    }

    @Test("A schema the validator cannot use fails each send until validation is turned off")
    func unusableSchema() async throws {
        let registry = try await RegistryFixture.start()
        let schema = #"{"title": "Order", "$ref": "https://example.com/order.json"}"#
        let serializer = JSONSchemaSerializer<Order>(registry: registry.client, schema: schema)
        let error = #expect(throws: SchemaRegistryError.self) { try serializer.serialize(Order(id: "o", amount: 1, lines: []), topic: "orders") }
        #expect(error?.kind == .invalidSchema)
        try await registry.stop()
    }
}
