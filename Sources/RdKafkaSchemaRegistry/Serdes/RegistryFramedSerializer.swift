import RdKafka

/// What the schema registry serializers (Avro, Protobuf, JSON Schema) share beyond their
/// encoding: whether they write headers and the plain `serialize`, both decided by their
/// ``SchemaIDResolver``. Each serializer writes only its encoding step and `prepare`.
protocol RegistryFramedSerializer: Serializer {
    var resolver: SchemaIDResolver { get }
}

extension RegistryFramedSerializer {
    /// `true` when the options put the schema id in a header rather than in the payload.
    public var writesHeaders: Bool { resolver.options.schemaIDLocation == .header }

    public func serialize(_ value: Value, topic: String) throws -> [UInt8]? {
        var headers: [RecordHeader] = []
        return try serialize(value, topic: topic, headers: &headers)
    }
}
