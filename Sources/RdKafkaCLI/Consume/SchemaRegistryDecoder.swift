import Foundation
import RdKafka
import RdKafkaAvro
import RdKafkaSchemaRegistry

/// `-s`: keys and/or values in Confluent's wire format (the schema id before the payload, or
/// in the `__key_schema_id` / `__value_schema_id` header), decoded with their writer's schema
/// from the registry.
///
/// Avro becomes its JSON encoding; a JSON Schema payload is printed as the JSON it is;
/// Protobuf is decoded with the registry's `.proto` text (no generated types needed) into
/// the proto3 JSON mapping. A Protobuf schema this parser cannot read leaves its messages
/// printed as hex, with a note on stderr once per schema. Schemas are fetched once per id
/// (the client caches them).
final class SchemaRegistryDecoder: RecordValueDecoder {
    private let registry: SchemaRegistryClient
    private let selection: SchemaSelection
    private var avroReaders: [SchemaID: AvroReader] = [:]
    /// Per Protobuf schema id: its decoder, or nil when the schema did not parse (noted once).
    private var protobufDecoders: [SchemaID: ProtobufJSONDecoder?] = [:]

    init(registry: SchemaRegistryClient, selection: SchemaSelection) {
        self.registry = registry
        self.selection = selection
    }

    func decode(_ record: ConsumedRecord) async throws -> DecodedRecord {
        var decoded = DecodedRecord(key: .bytes(record.key), value: .bytes(record.value))
        if let format = selection.key, let key = record.key {
            do {
                decoded.key = try await decode(key, format: format, headers: record.headers, isKey: true)
            } catch {
                throw UndecodableField(field: "key", cause: error)
            }
        }
        // A null value (a tombstone) has nothing to decode and stays null.
        if let format = selection.value, let value = record.value {
            do {
                decoded.value = try await decode(value, format: format, headers: record.headers, isKey: false)
            } catch {
                throw UndecodableField(field: "value", cause: error)
            }
        }
        return decoded
    }

    private func decode(_ bytes: [UInt8], format: SchemaFormat, headers: [RecordHeader], isKey: Bool) async throws -> DecodedValue {
        let (framing, payload) = try Self.locate(bytes, headers: headers, isKey: isKey, withMessageIndexes: format == .protobuf)
        let schema = try await schema(framing.schemaID)
        guard schema.type == format.schemaType else {
            throw SchemaRegistryError(.invalidSchema, "schema \(framing.schemaID) is \(schema.type.rawValue), not \(format.schemaType.rawValue)")
        }
        switch format {
        case .avro:
            let reader = try avroReader(schema, id: framing.schemaID)
            return .json(try reader.writer.jsonEncoding(of: try reader.decode(payload)))
        case .json:
            // JSON Schema payloads are JSON text: checked to be a document, so -J stays JSON.
            guard (try? JSONSerialization.jsonObject(with: Data(payload), options: [.fragmentsAllowed])) != nil,
                  let text = String(validating: payload, as: UTF8.self)
            else {
                throw SchemaRegistryError(.serialization, "the payload after the framing is not JSON")
            }
            // Raw line breaks in valid JSON are whitespace (inside strings they are escaped):
            // made spaces, a pretty-printed document keeps -J at one record per line.
            return .json(String(text.trimmingCharacters(in: .whitespacesAndNewlines).map { $0 == "\n" || $0 == "\r" || $0 == "\r\n" ? " " : $0 }))
        case .protobuf:
            guard let decoder = protobufDecoder(schema, id: framing.schemaID) else {
                return .bytes(Array(payload.map { Self.hexDigits[Int($0 >> 4)] + Self.hexDigits[Int($0 & 0x0F)] }.joined().utf8))
            }
            return .json(try decoder.json(of: payload, messageIndexes: framing.messageIndexes))
        }
    }

    /// A decoder of the writer's `.proto` schema, made once per id; nil, after a note on
    /// stderr, when the schema uses what the parser does not read (editions, groups).
    private func protobufDecoder(_ schema: Schema, id: SchemaID) -> ProtobufJSONDecoder? {
        if let known = protobufDecoders[id] { return known }
        do {
            let decoder = ProtobufJSONDecoder(schema: try ProtobufSchema(parsing: schema.text))
            protobufDecoders[id] = decoder
            return decoder
        } catch {
            let reason = String(describing: error).split(whereSeparator: \.isNewline).joined(separator: " ")
            Diagnostics.line("rdkafka: note: schema \(id) does not parse as Protobuf (\(reason)); its messages are printed as hex of their bytes")
            protobufDecoders[id] = .some(nil)
            return nil
        }
    }

    private static let hexDigits = (0..<16).map { String($0, radix: 16) }

    /// The framing (from the schema-id header when there is one, as the library's
    /// deserializers read it) and the payload it describes.
    private static func locate(
        _ bytes: [UInt8],
        headers: [RecordHeader],
        isKey: Bool,
        withMessageIndexes: Bool
    ) throws -> (ConfluentWireFormat, [UInt8]) {
        let headerName = isKey ? ConfluentWireFormat.keySchemaIDHeader : ConfluentWireFormat.valueSchemaIDHeader
        if let header = headers.last(where: { $0.key == headerName }), let value = header.value {
            return (try ConfluentWireFormat.read(header: value, withMessageIndexes: withMessageIndexes), bytes)
        }
        return try bytes.withUnsafeBytes { raw in
            let (framing, payload) = try ConfluentWireFormat.read(raw, withMessageIndexes: withMessageIndexes)
            return (framing, Array(payload))
        }
    }

    private func schema(_ id: SchemaID) async throws -> Schema {
        switch id {
        case .id(let id): try await registry.schema(id: id)
        case .guid(let guid): try await registry.schema(guid: guid)
        }
    }

    /// A reader of the writer's schema, made once per id.
    private func avroReader(_ schema: Schema, id: SchemaID) throws -> AvroReader {
        if let known = avroReaders[id] { return known }
        let reader: AvroReader
        do {
            reader = AvroReader(schema: try AvroSchema(parsing: schema.text))
        } catch {
            throw SchemaRegistryError(.invalidSchema, "schema \(id) does not parse as Avro: \(error)", underlyingError: error)
        }
        avroReaders[id] = reader
        return reader
    }
}

/// A key or value `-s` could not decode, and why.
struct UndecodableField: Error, CustomStringConvertible {
    let field: String
    let cause: any Error

    var description: String {
        let reason = String(describing: cause).split(whereSeparator: \.isNewline).joined(separator: " ")
        return "\(field): \(reason)"
    }
}
