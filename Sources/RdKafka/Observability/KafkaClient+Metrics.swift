extension KafkaProducer {
    /// The producer's latest statistics (Java's `metrics()`), read on demand beside the
    /// pushed ``ClientConfiguration/onStatistics``: queue depths, request latencies and
    /// error counts per broker, topic and partition.
    ///
    /// librdkafka measures and emits statistics every
    /// ``ClientConfiguration/statisticsInterval``; this is the last of those snapshots, so
    /// it is at most one interval old. `nil` without a `statisticsInterval`, and until the
    /// first snapshot arrives (one interval after the producer starts).
    public func metrics() -> Statistics? {
        statistics?.latest
    }
}

extension KafkaConsumer {
    /// The consumer's latest statistics (Java's `metrics()`), read on demand beside the
    /// pushed ``ClientConfiguration/onStatistics``: fetch state, lag and offsets per
    /// partition, the group's state, and per-broker latencies.
    ///
    /// As for ``KafkaProducer/metrics()``, the last snapshot librdkafka emitted, at most one
    /// ``ClientConfiguration/statisticsInterval`` old; `nil` without an interval and until
    /// the first snapshot arrives.
    public func metrics() -> Statistics? {
        statistics?.latest
    }
}
