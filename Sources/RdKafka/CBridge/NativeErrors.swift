import CRdKafka

/// Conversions from librdkafka's error representations to ``KafkaError``.
enum NativeErrors {
    static func name(of code: Int32) -> String {
        String(nativeCString: rd_kafka_err2name(rd_kafka_resp_err_t(code)))
    }

    static func message(of code: Int32) -> String {
        String(nativeCString: rd_kafka_err2str(rd_kafka_resp_err_t(code)))
    }

    /// A `KafkaError` for a bare response code, with librdkafka's text for it.
    static func error(
        _ code: rd_kafka_resp_err_t,
        context: String? = nil,
        topic: String? = nil,
        partition: Int32? = nil
    ) -> KafkaError {
        let text = message(of: code.rawValue)
        return KafkaError(
            code: KafkaError.Code(rawValue: code.rawValue),
            message: context.map { "\($0): \(text)" } ?? text,
            topic: topic,
            partition: partition
        )
    }

    /// Takes ownership of `error` (an `rd_kafka_error_t`), which carries librdkafka's own
    /// retriable/fatal/abort classification, and destroys it.
    static func consume(_ error: OpaquePointer, context: String? = nil) -> KafkaError {
        defer { rd_kafka_error_destroy(error) }
        let code = KafkaError.Code(rawValue: rd_kafka_error_code(error).rawValue)
        let text = String(nativeCString: rd_kafka_error_string(error))
        return KafkaError(
            code: code,
            message: context.map { "\($0): \(text)" } ?? text,
            // librdkafka only marks what its transactional API may retry; a full queue, say, is
            // retriable from the caller's point of view too.
            isRetriable: rd_kafka_error_is_retriable(error) != 0 || code.isRetriableByDefault,
            isFatal: rd_kafka_error_is_fatal(error) != 0,
            requiresTransactionAbort: rd_kafka_error_txn_requires_abort(error) != 0
        )
    }

    /// The fatal error that put the client `handle` out of service, if any.
    static func fatalError(of handle: OpaquePointer) -> KafkaError? {
        var buffer = [CChar](repeating: 0, count: 512)
        let code = rd_kafka_fatal_error(handle, &buffer, buffer.count)
        guard code != RD_KAFKA_RESP_ERR_NO_ERROR else { return nil }
        return KafkaError(
            code: KafkaError.Code(rawValue: code.rawValue),
            message: "fatal: \(String(cBuffer: buffer))",
            isRetriable: false,
            isFatal: true
        )
    }
}

extension String {
    /// The string librdkafka returned; empty for NULL. C functions without nullability
    /// annotations return implicitly unwrapped pointers, and `String(cString:)` would trap
    /// on NULL: this never does, whatever librdkafka (or a broker's reply) left out.
    init(nativeCString pointer: UnsafePointer<CChar>?) {
        if let pointer { self.init(cString: pointer) } else { self.init() }
    }

    /// The text in a NUL-terminated buffer librdkafka filled in (an error or value buffer).
    init(cBuffer: [CChar]) {
        let bytes = cBuffer.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }
        self.init(decoding: bytes, as: UTF8.self)
    }
}
