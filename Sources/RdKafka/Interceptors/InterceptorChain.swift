import Logging

/// A producer's interceptors in order, applying Kafka's rule that an interceptor's error is
/// logged and skipped. Only exists when interceptors are configured.
@usableFromInline
final class ProducerInterceptorChain<Key, Value>: Sendable {
    private let interceptors: [any ProducerInterceptor<Key, Value>]
    private let logger: Logger
    private let closing = InterceptorClosing()

    /// `nil` for an empty list, so a producer without interceptors checks one optional.
    init?(_ interceptors: [any ProducerInterceptor<Key, Value>], logger: Logger) {
        guard !interceptors.isEmpty else { return nil }
        self.interceptors = interceptors
        self.logger = logger
    }

    @usableFromInline
    func onSend(_ record: ProducerRecord<Key, Value>) -> ProducerRecord<Key, Value> {
        var record = record
        for interceptor in interceptors {
            do {
                record = try interceptor.onSend(record)
            } catch {
                logger.warning(
                    "producer interceptor failed in onSend; the record continues unchanged by it",
                    metadata: ["interceptor": "\(type(of: interceptor))", "topic": "\(record.topic)", "error": "\(error)"]
                )
            }
        }
        return record
    }

    @usableFromInline
    func onAcknowledgement(_ result: Result<RecordMetadata, KafkaError>) {
        for interceptor in interceptors {
            do {
                try interceptor.onAcknowledgement(result)
            } catch {
                logger.warning(
                    "producer interceptor failed in onAcknowledgement",
                    metadata: ["interceptor": "\(type(of: interceptor))", "error": "\(error)"]
                )
            }
        }
    }

    /// Calls each interceptor's `close()`, the first time only.
    func close() {
        closing.once { for interceptor in interceptors { report("close", interceptor) { try interceptor.close() } } }
    }

    deinit { close() }

    private func report(_ method: String, _ interceptor: Any, _ body: () throws -> Void) {
        do {
            try body()
        } catch {
            logger.warning(
                "producer interceptor failed in \(method)",
                metadata: ["interceptor": "\(type(of: interceptor))", "error": "\(error)"]
            )
        }
    }

    /// The acknowledgement handler for the event receiver, which is not generic.
    var acknowledgementHandler: @Sendable (Result<RecordMetadata, KafkaError>) -> Void {
        { [self] result in onAcknowledgement(result) }
    }
}

/// A consumer's interceptors in order, with the same error rule: applied to each batch the
/// consumer takes from librdkafka and after each commit.
final class ConsumerInterceptorChain<Record>: Sendable {
    private let interceptors: [any ConsumerInterceptor<Record>]
    private let logger: Logger
    private let closing = InterceptorClosing()

    init?(_ interceptors: [any ConsumerInterceptor<Record>], logger: Logger) {
        guard !interceptors.isEmpty else { return nil }
        self.interceptors = interceptors
        self.logger = logger
    }

    func onConsume(_ records: [Record]) -> [Record] {
        var records = records
        for interceptor in interceptors {
            do {
                records = try interceptor.onConsume(records)
            } catch {
                logger.warning(
                    "consumer interceptor failed in onConsume; the batch continues unchanged by it",
                    metadata: ["interceptor": "\(type(of: interceptor))", "error": "\(error)"]
                )
            }
        }
        return records
    }

    func onCommit(_ offsets: [TopicPartitionOffset]) {
        for interceptor in interceptors {
            do {
                try interceptor.onCommit(offsets)
            } catch {
                logger.warning(
                    "consumer interceptor failed in onCommit",
                    metadata: ["interceptor": "\(type(of: interceptor))", "error": "\(error)"]
                )
            }
        }
    }

    /// Calls each interceptor's `close()`, the first time only.
    func close() {
        closing.once {
            for interceptor in interceptors {
                do {
                    try interceptor.close()
                } catch {
                    logger.warning(
                        "consumer interceptor failed in close",
                        metadata: ["interceptor": "\(type(of: interceptor))", "error": "\(error)"]
                    )
                }
            }
        }
    }

    deinit { close() }
}

/// Whether a chain's interceptors were closed: `close()` is called once, whether the client
/// closes, is released unclosed, or both.
final class InterceptorClosing: Sendable {
    private let closed = Locked(false)

    func once(_ body: () -> Void) {
        let first = closed.withLock { closed in
            defer { closed = true }
            return !closed
        }
        if first { body() }
    }
}
