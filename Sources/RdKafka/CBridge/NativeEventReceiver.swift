/// What librdkafka reports to the Swift side of any client: its client-level events, on
/// librdkafka's background thread (consumers, admin clients) or on a producer's report
/// thread. A producer's delivery reports do not come here: its report server hands them to
/// the producer's own receiver (see docs/architecture.md).
protocol NativeEventReceiver: AnyObject, Sendable {
    func didReceive(error: KafkaError)
    func didReceive(throttle: ThrottleEvent)
    func didReceive(statisticsJSON: String)
    /// A log line with librdkafka's name for the client (`rdkafka#producer-1`).
    func didReceive(logLevel: Int32, facility: String, message: String, clientName: String)
}

/// A receiver that also takes the answers to asynchronous commits: a consumer's.
protocol NativeCommitReceiver: NativeEventReceiver {
    /// The answer to a commit started with an opaque (`NativeConsumer.commitAsync`).
    func didCommit(opaque: UnsafeMutableRawPointer, result: Result<[TopicPartitionOffset], KafkaError>)
}
