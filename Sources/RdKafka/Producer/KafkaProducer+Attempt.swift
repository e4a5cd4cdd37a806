// The one path from every send mode into librdkafka: validation, serialization (specialized
// for the caller's Key and Value, so @inlinable), and the non-generic enqueue inside the
// close gate. The send modes themselves are in KafkaProducer+Send.swift.
extension KafkaProducer {
    /// One attempt to hand `record` to librdkafka: validates, serializes, enqueues.
    ///
    /// - Returns: `nil` if librdkafka accepted it (and took `opaque`), else why not.
    @inlinable
    func attempt(_ record: ProducerRecord<Key, Value>, opaque: UnsafeMutableRawPointer?) -> KafkaError? {
        // The record's fields are passed on borrowed, never copied into a new value: each copy
        // of its topic and headers would cost an atomic retain and release per send.
        if let invalid = validate(topic: record.topic, partition: record.partition) { return invalid }
        if !record.headers.isEmpty, let invalid = validate(headers: record.headers, topic: record.topic) { return invalid }
        if let refusal = refusalBeforeSerializing(topic: record.topic, partition: record.partition) { return refusal }
        if let headerWriting { return attemptWritingHeaders(record, headerWriting, opaque: opaque) }
        guard let key = record.key else {
            return withSerializedValue(record.value, topic: record.topic) { value in
                enqueueSerialized(
                    topic: record.topic,
                    partition: record.partition,
                    key: nil,
                    value: value,
                    timestamp: record.timestamp,
                    headers: record.headers,
                    opaque: opaque
                )
            }
        }
        do {
            return try serializeKey(key, record.topic) { key in
                withSerializedValue(record.value, topic: record.topic) { value in
                    enqueueSerialized(
                        topic: record.topic,
                        partition: record.partition,
                        key: key,
                        value: value,
                        timestamp: record.timestamp,
                        headers: record.headers,
                        opaque: opaque
                    )
                }
            }
        } catch {
            return Self.serializationError(.keySerialization, "key", error, topic: record.topic)
        }
    }

    /// ``attempt(_:opaque:)`` for serializers that may add headers: they get a copy of the
    /// record's headers to append to, and the record is sent with what they leave.
    @inlinable
    @inline(never)
    func attemptWritingHeaders(
        _ record: ProducerRecord<Key, Value>,
        _ serializers: HeaderWritingSerializers<Key, Value>,
        opaque: UnsafeMutableRawPointer?
    ) -> KafkaError? {
        var headers = record.headers
        let key: [UInt8]?
        if let recordKey = record.key {
            do {
                key = try serializers.serializeKey(recordKey, record.topic, &headers)
            } catch {
                return Self.serializationError(.keySerialization, "key", error, topic: record.topic)
            }
        } else {
            key = nil
        }
        let value: [UInt8]?
        do {
            value = try serializers.serializeValue(record.value, record.topic, &headers)
        } catch {
            return Self.serializationError(.valueSerialization, "value", error, topic: record.topic)
        }
        return Self.withOptionalBytes(key) { key in
            Self.withOptionalBytes(value) { value in
                enqueueSerialized(
                    topic: record.topic,
                    partition: record.partition,
                    key: key,
                    value: value,
                    timestamp: record.timestamp,
                    headers: headers,
                    opaque: opaque
                )
            }
        }
    }

    @inlinable
    static func withOptionalBytes(_ bytes: [UInt8]?, _ body: (UnsafeRawBufferPointer?) -> KafkaError?) -> KafkaError? {
        guard let bytes else { return body(nil) }
        return bytes.withUnsafeBytes { body($0) }
    }

    @inlinable
    func withSerializedValue(
        _ value: Value,
        topic: String,
        _ body: (UnsafeRawBufferPointer?) -> KafkaError?
    ) -> KafkaError? {
        do {
            return try serializeValue(value, topic, body)
        } catch {
            return Self.serializationError(.valueSerialization, "value", error, topic: topic)
        }
    }

    @usableFromInline
    static func serializationError(_ code: KafkaError.Code, _ part: String, _ error: any Error, topic: String) -> KafkaError {
        KafkaError(
            code: code,
            message: "the \(part) could not be serialized: \(error)",
            topic: topic,
            underlyingError: error
        )
    }

    /// Why a record may not be sent at all, checked before its serializers run: the producer
    /// is closed (checked again under the gate; this keeps the answer `clientClosed` rather
    /// than whatever a serializer might throw), or a transactional producer has no
    /// transaction open.
    @usableFromInline
    func refusalBeforeSerializing(topic: String, partition: Int32?) -> KafkaError? {
        if isClosed { return .clientClosed("producer") }
        if let transactions, !transactions.acceptsSends {
            return transactions.sendRefusal().concerning(topic: topic, partition: partition)
        }
        return nil
    }

    /// Hands a serialized record to librdkafka, unless the producer is closed. `key` and
    /// `value` are the serializers' buffers, valid only during the call; everything after
    /// serialization lives here, in non-generic code.
    ///
    /// - Returns: `nil` if librdkafka accepted it (and took `opaque`), else why not.
    @usableFromInline
    func enqueueSerialized(
        topic: String,
        partition: Int32?,
        key: UnsafeRawBufferPointer?,
        value: UnsafeRawBufferPointer?,
        timestamp: KafkaTimestamp?,
        headers: [RecordHeader],
        opaque: UnsafeMutableRawPointer?
    ) -> KafkaError? {
        // A Swift partitioner (see PartitionerPlacement) places the record here, where its
        // key and value are serialized; librdkafka gets its answer as an explicit partition.
        if partition == nil, let placement {
            switch placement.partition(topic: topic, key: key, value: value, fetch: partitionsForPlacement) {
            case .success(let chosen):
                return enqueueSerialized(topic: topic, partition: chosen, key: key, value: value, timestamp: timestamp, headers: headers, opaque: opaque)
            case .failure(let refusal):
                return refusal
            }
        }
        guard gate.enterSending() else {
            // Counted inside for an instant all the same, which may have kept an event from
            // waking the report thread.
            reports?.senderLeft()
            return .clientClosed("producer")
        }
        let record = NativeMessages.Record(partition: partition, key: key, value: value, timestamp: timestamp, opaque: opaque)
        reports?.senderWillSend(carryingContext: opaque != nil)
        var refusal = produce(record, topic: topic, headers: headers)
        if let error = refusal, error.code == .queueFull, reports?.serveAfterSend() == true {
            // Serving the reports made room: try once more before waiting.
            refusal = produce(record, topic: topic, headers: headers)
        }
        // Serve the reports that are ready here, on the thread that allocated their records,
        // as a C program would with rd_kafka_poll(rk, 0) after each produce.
        if refusal == nil { reports?.serveAfterSend() }
        // Read inside the gate, where the handle is still valid.
        if refusal?.code == .fatal, let fatal = NativeErrors.fatalError(of: client.pointer) { refusal = fatal }
        gate.leaveSending()
        reports?.senderLeft()
        guard var refusal else { return nil }
        if let transactions { refusal = transactions.classifySendRefusal(refusal) }
        return refusal.concerning(topic: topic, partition: partition)
    }

    private func produce(_ record: NativeMessages.Record, topic: String, headers: [RecordHeader]) -> KafkaError? {
        let handle = client.topicHandleFinder._withUnsafeGuaranteedRef { $0.pointer(for: topic, client: client.pointer) }
        if let handle {
            return NativeMessages.produce(client: client.pointer, topic: .handle(handle), record, headers: headers)
        }
        return topic.withCString { name in
            NativeMessages.produce(client: client.pointer, topic: .name(name), record, headers: headers)
        }
    }

    /// Rejects what librdkafka would otherwise accept and only fail later, or fail obscurely.
    @usableFromInline
    func validate(topic: String, partition: Int32?) -> KafkaError? {
        if let problem = knownTopic.problem(with: topic) {
            return KafkaError(code: .invalidRecord, message: problem, topic: topic)
        }
        if let partition, partition < 0 {
            return KafkaError(
                code: .invalidRecord,
                message: "partition \(partition) is negative; leave it nil to let the partitioner choose",
                topic: topic,
                partition: partition
            )
        }
        return nil
    }

    /// Rejects a header name librdkafka would cut short: names are C strings, ending at NUL.
    @usableFromInline
    func validate(headers: [RecordHeader], topic: String) -> KafkaError? {
        guard let header = headers.first(where: { $0.key.utf8.contains(0) }) else { return nil }
        return KafkaError(
            code: .invalidRecord,
            message: "header name \(header.key.debugDescription) contains a NUL character, which Kafka clients cannot read back",
            topic: topic
        )
    }
}
