import Tracing

/// Span attribute names from OpenTelemetry's messaging semantic conventions for Kafka.
enum MessagingAttributes {
    static let system = "messaging.system"
    static let operationName = "messaging.operation.name"
    static let operationType = "messaging.operation.type"
    static let destinationName = "messaging.destination.name"
    static let partitionID = "messaging.destination.partition.id"
    static let messageKey = "messaging.kafka.message.key"
    static let offset = "messaging.kafka.offset"
    static let consumerGroup = "messaging.kafka.consumer.group"
    static let batchMessageCount = "messaging.batch.message_count"
    static let errorType = "error.type"

    /// The attributes every span of this client carries, and those naming one record.
    static func set(
        on attributes: inout SpanAttributes,
        operation: String,
        type: String,
        topic: String?,
        partition: Int32? = nil,
        key: String? = nil
    ) {
        attributes[system] = "kafka"
        attributes[operationName] = operation
        attributes[operationType] = type
        if let topic { attributes[destinationName] = topic }
        if let partition { attributes[partitionID] = String(partition) }
        if let key { attributes[messageKey] = key }
    }

    /// Marks `span` failed with `error`.
    static func fail(_ span: any Span, with error: KafkaError) {
        span.attributes[errorType] = error.code.description
        span.recordError(error)
        span.setStatus(SpanStatus(code: .error, message: error.message))
    }
}
