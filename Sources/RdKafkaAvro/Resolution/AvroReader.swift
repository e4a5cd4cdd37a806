/// Decodes values written with one schema (the writer's) as another (the reader's), by Avro
/// schema resolution: numeric promotions, defaults for fields the writer lacks, writer fields
/// the reader lacks skipped, enum defaults for unknown symbols, and unions on either side.
///
/// Building a reader resolves the two schemas once; keep it (it is `Sendable`) and call
/// `decode(_:)` per record.
///
/// ```swift
/// let reader = try AvroReader(writer: oldCustomer, reader: newCustomer)
/// let customer = try reader.decode(payload)
/// ```
public struct AvroReader: Sendable {
    /// The schema the bytes were written with.
    public let writer: AvroSchema
    /// The schema values are decoded as.
    public let reader: AvroSchema
    let plan: ResolutionPlan

    /// Resolves `writer` against `reader`.
    ///
    /// - Throws: ``AvroError`` of kind ``AvroError/Kind/incompatibleSchemas`` naming the
    ///   first place where no value written with `writer` can be read as `reader`. A
    ///   mismatch that only some values reach (a union branch the reader lacks, an enum
    ///   symbol without a default) is reported when such a value is decoded.
    public init(writer: AvroSchema, reader: AvroSchema) throws(AvroError) {
        self.writer = writer
        self.reader = reader
        self.plan = try ResolutionPlan(writer: writer, reader: reader)
    }

    /// A reader for values written and read with the same schema.
    public init(schema: AvroSchema) {
        self.writer = schema
        self.reader = schema
        self.plan = ResolutionPlan(identity: schema)
    }

    /// Decodes one value that fills `bytes` exactly.
    ///
    /// - Throws: ``AvroError`` of kind ``AvroError/Kind/malformedData`` when the bytes are
    ///   not a valid encoding (including bytes left over after the value), or
    ///   ``AvroError/Kind/incompatibleSchemas`` when the value reaches a part of the writer's
    ///   schema the reader cannot read.
    public func decode(_ bytes: UnsafeRawBufferPointer) throws(AvroError) -> AvroValue {
        var input = BinaryReader(bytes)
        let value = try plan.read(&input)
        guard input.isAtEnd else {
            throw AvroError(.malformedData, reason: "\(input.remaining) bytes left after the value")
        }
        return value
    }

    /// Decodes one value that fills `bytes` exactly.
    public func decode(_ bytes: [UInt8]) throws(AvroError) -> AvroValue {
        do {
            return try bytes.withUnsafeBytes { buffer in try decode(buffer) }
        } catch let error as AvroError {
            throw error
        } catch {
            throw AvroError(.malformedData, reason: "\(error)")
        }
    }
}
