import Metrics

/// Turns on the export of a client's ``Statistics`` to swift-metrics.
///
/// Set it as ``ClientConfiguration/metrics`` together with a
/// ``ClientConfiguration/statisticsInterval``: every snapshot librdkafka emits then updates
/// the gauges and counters that ``StatisticsMetricsExporter`` documents. It is opt-in
/// because decoding a snapshot costs a JSON parse per interval, which only pays off when
/// someone looks at the numbers.
public struct StatisticsMetricsOptions: Sendable {
    /// The prefix of every metric name (`rdkafka` gives `rdkafka_queue_messages`).
    public var namePrefix: String
    /// Dimensions added to every series, to tell apart clients that share a `client.id`.
    public var dimensions: [(String, String)]
    /// The swift-metrics backend; `nil` uses the one bootstrapped in `MetricsSystem` when the
    /// client is created.
    public var factory: (any MetricsFactory)?

    public init(
        namePrefix: String = "rdkafka",
        dimensions: [(String, String)] = [],
        factory: (any MetricsFactory)? = nil
    ) {
        self.namePrefix = namePrefix
        self.dimensions = dimensions
        self.factory = factory
    }
}
