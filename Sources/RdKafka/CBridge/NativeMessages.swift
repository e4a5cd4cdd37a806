import CRdKafka

/// Conversions for librdkafka messages and the produce call.
enum NativeMessages {
    static func timestampKind(_ type: rd_kafka_timestamp_type_t) -> KafkaTimestamp.Kind {
        switch type {
        case RD_KAFKA_TIMESTAMP_CREATE_TIME: return .createTime
        case RD_KAFKA_TIMESTAMP_LOG_APPEND_TIME: return .logAppendTime
        default: return .notAvailable
        }
    }

    /// The topic of a record to produce: a handle (see ``NativeTopicHandle``) or a name.
    enum Topic {
        case handle(OpaquePointer)
        case name(UnsafePointer<CChar>)
    }

    /// What one produce call takes besides the topic and headers: plain values and the
    /// serializers' buffers, borrowed for the call.
    struct Record {
        let partition: Int32?
        let key: UnsafeRawBufferPointer?
        let value: UnsafeRawBufferPointer?
        let timestamp: KafkaTimestamp?
        let opaque: UnsafeMutableRawPointer?
    }

    /// Enqueues one record with `rd_kafka_produceva`; librdkafka copies key, value and headers.
    ///
    /// - Returns: `nil` when librdkafka accepted the record (and with it its opaque),
    ///   otherwise its error; then the opaque is still the caller's.
    static func produce(client: OpaquePointer, topic: Topic, _ record: Record, headers: [RecordHeader]) -> KafkaError? {
        let partition = record.partition
        let key = record.key
        let value = record.value
        let timestamp = record.timestamp
        let opaque = record.opaque
        return withUnsafeTemporaryAllocation(of: rd_kafka_vu_t.self, capacity: 8) { fields -> KafkaError? in
            // Any valid address serves for zero-length payloads, which librdkafka keeps
            // distinct from null ones.
            // Never nil: the allocation has a capacity of 8.
            let emptyPayload = UnsafeRawPointer(fields.baseAddress!)
            var count = 0
            func append(_ type: rd_kafka_vtype_t, _ fill: (inout rd_kafka_vu_t) -> Void) {
                var field = rd_kafka_vu_t()
                field.vtype = type
                fill(&field)
                (fields.baseAddress! + count).initialize(to: field)   // never nil, as above
                count += 1
            }
            switch topic {
            case .handle(let handle): append(RD_KAFKA_VTYPE_RKT) { $0.u.rkt = handle }
            case .name(let name): append(RD_KAFKA_VTYPE_TOPIC) { $0.u.cstr = name }
            }
            append(RD_KAFKA_VTYPE_MSGFLAGS) { $0.u.i = RD_KAFKA_MSG_F_COPY }
            if let partition { append(RD_KAFKA_VTYPE_PARTITION) { $0.u.i32 = partition } }
            if let value, let base = value.baseAddress {
                append(RD_KAFKA_VTYPE_VALUE) { $0.u.mem = .init(ptr: UnsafeMutableRawPointer(mutating: base), size: value.count) }
            } else if value != nil {
                // An empty value is not a null value: point at a valid zero-length buffer.
                append(RD_KAFKA_VTYPE_VALUE) { $0.u.mem = .init(ptr: UnsafeMutableRawPointer(mutating: emptyPayload), size: 0) }
            }
            if let key {
                let base = key.baseAddress ?? emptyPayload
                append(RD_KAFKA_VTYPE_KEY) { $0.u.mem = .init(ptr: UnsafeMutableRawPointer(mutating: base), size: key.count) }
            }
            if let timestamp { append(RD_KAFKA_VTYPE_TIMESTAMP) { $0.u.i64 = timestamp.millisecondsSinceEpoch } }
            if let opaque { append(RD_KAFKA_VTYPE_OPAQUE) { $0.u.ptr = opaque } }
            let nativeHeaders = headers.isEmpty ? nil : makeHeaders(headers)
            if let nativeHeaders { append(RD_KAFKA_VTYPE_HEADERS) { $0.u.headers = nativeHeaders } }

            guard let error = rd_kafka_produceva(client, fields.baseAddress, count) else { return nil }
            // On failure the headers stay ours to free.
            if let nativeHeaders { rd_kafka_headers_destroy(nativeHeaders) }
            return NativeErrors.consume(error)
        }
    }

    /// A new librdkafka header list holding `headers`, for the caller to hand over or destroy.
    static func makeHeaders(_ headers: [RecordHeader]) -> OpaquePointer {
        // Never nil: rd_kafka_headers_new only allocates, and librdkafka aborts when an
        // allocation fails rather than returning NULL.
        let list = rd_kafka_headers_new(headers.count)!
        for header in headers {
            if let value = header.value {
                value.withUnsafeBytes { bytes in
                    withUnsafePointer(to: 0) { empty in
                        _ = rd_kafka_header_add(list, header.key, -1, bytes.baseAddress ?? UnsafeRawPointer(empty), bytes.count)
                    }
                }
            } else {
                _ = rd_kafka_header_add(list, header.key, -1, nil, 0)
            }
        }
        return list
    }

    /// Records still queued, in flight, or whose reports have not been handled yet.
    static func outstandingCount(_ client: OpaquePointer) -> Int {
        Int(rd_kafka_outq_len(client))
    }

    /// Asks the broker threads to send lingering batches now, as `rd_kafka_flush` does, and
    /// waits up to `milliseconds` for every record's report to have been handled.
    ///
    /// The client serves its reports as events (on another thread, or on senders), so
    /// librdkafka only waits here; the flushing mark, which makes the broker threads treat
    /// `linger.ms` as elapsed, lasts as long as this call. It blocks the calling thread.
    ///
    /// - Returns: whether nothing is outstanding any more.
    static func flush(_ client: OpaquePointer, milliseconds: Int32) -> Bool {
        rd_kafka_flush(client, milliseconds) == RD_KAFKA_RESP_ERR_NO_ERROR
    }

    /// Fails every queued and in-flight record with `purgedFromQueue` / `purgedInFlight`.
    static func purgeAll(_ client: OpaquePointer) {
        _ = rd_kafka_purge(client, RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT)
    }

    /// The partition count librdkafka's metadata cache holds for `topic`, refreshing it if needed.
    static func partitionCount(client: OpaquePointer, topic: String, timeout: Duration) -> Result<Int, KafkaError> {
        guard let handle = rd_kafka_topic_new(client, topic, nil) else {
            return .failure(KafkaError(code: .invalidArgument, message: "invalid topic name '\(topic)'", topic: topic))
        }
        defer { rd_kafka_topic_destroy(handle) }
        var metadata: UnsafePointer<rd_kafka_metadata>?
        let code = rd_kafka_metadata(client, 0, handle, &metadata, Duration.timeoutMilliseconds(timeout))
        guard code == RD_KAFKA_RESP_ERR_NO_ERROR, let metadata else {
            return .failure(NativeErrors.error(code, context: "metadata request failed", topic: topic))
        }
        defer { rd_kafka_metadata_destroy(metadata) }
        guard metadata.pointee.topic_cnt > 0 else {
            return .failure(KafkaError(code: .unknownTopicOrPartition, message: "no metadata for topic", topic: topic))
        }
        let entry = metadata.pointee.topics[0]
        if entry.err != RD_KAFKA_RESP_ERR_NO_ERROR {
            return .failure(NativeErrors.error(entry.err, topic: topic))
        }
        return .success(Int(entry.partition_cnt))
    }
}
