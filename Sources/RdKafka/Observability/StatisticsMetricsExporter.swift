import Metrics
import Synchronization

/// Publishes librdkafka ``Statistics`` snapshots to swift-metrics.
///
/// Create one exporter per client instance and pass it every snapshot, in order, with
/// ``record(_:)``. Metric handles are created on first use and cached, so each statistics
/// interval only updates existing handles.
///
/// ## Metrics
///
/// Names below use the default prefix `rdkafka`; see ``init(namePrefix:dimensions:factory:)``.
/// Every metric has a `client_id` dimension (the client's `client.id`), followed by the
/// dimensions listed, followed by any extra dimensions given at initialisation.
///
/// Client-wide:
/// - `rdkafka_queue_messages`, `rdkafka_queue_bytes` (gauges): messages and bytes in the
///   producer queues (`msg_cnt`, `msg_size`).
/// - `rdkafka_queue_max_messages`, `rdkafka_queue_max_bytes` (gauges): the producer queue limits
///   (`msg_max`, `msg_size_max`).
/// - `rdkafka_reply_queue_ops` (gauge): operations waiting for the application to poll (`replyq`).
/// - `rdkafka_tx_requests_total`, `rdkafka_tx_bytes_total`, `rdkafka_rx_responses_total`,
///   `rdkafka_rx_bytes_total` (counters): requests/bytes sent to and responses/bytes received from
///   all brokers (`tx`, `tx_bytes`, `rx`, `rx_bytes`).
/// - `rdkafka_tx_messages_total`, `rdkafka_tx_message_bytes_total`, `rdkafka_rx_messages_total`,
///   `rdkafka_rx_message_bytes_total` (counters): messages produced/consumed and their bytes
///   (`txmsgs`, `txmsg_bytes`, `rxmsgs`, `rxmsg_bytes`).
///
/// Per broker, with a `broker` dimension (the broker name, for example `"host:9092/1"` or
/// `"GroupCoordinator"`):
/// - `rdkafka_broker_up` (gauge): `1` while the connection state is `UP`, else `0`.
/// - `rdkafka_broker_outbuf_count`, `rdkafka_broker_outbuf_messages` (gauges): requests and
///   messages awaiting transmission.
/// - `rdkafka_broker_waitresp_count`, `rdkafka_broker_waitresp_messages` (gauges): requests and
///   messages in flight.
/// - `rdkafka_broker_rtt_avg_seconds`, `…_rtt_p50_seconds`, `…_rtt_p95_seconds`,
///   `…_rtt_p99_seconds`, `…_rtt_max_seconds` (gauges): round-trip time over the last
///   statistics window.
/// - `rdkafka_broker_throttle_avg_seconds`, `rdkafka_broker_throttle_max_seconds` (gauges):
///   broker throttle time over the last statistics window.
/// - `rdkafka_broker_tx_requests_total`, `rdkafka_broker_tx_bytes_total`,
///   `rdkafka_broker_rx_responses_total`, `rdkafka_broker_rx_bytes_total`,
///   `rdkafka_broker_tx_errors_total`, `rdkafka_broker_rx_errors_total`,
///   `rdkafka_broker_request_timeouts_total`, `rdkafka_broker_connects_total`,
///   `rdkafka_broker_disconnects_total` (counters).
///
/// Per partition, with `topic` and `partition` dimensions; the internal unassigned partition `-1`
/// is never exported:
/// - Producers: `rdkafka_partition_queue_messages`, `rdkafka_partition_queue_bytes` (gauges,
///   first-level queue `msgq_cnt`, `msgq_bytes`), `rdkafka_partition_transmit_queue_messages`
///   (gauge, `xmit_msgq_cnt`), `rdkafka_partition_tx_messages_total`,
///   `rdkafka_partition_tx_bytes_total` (counters).
/// - Consumers: `rdkafka_partition_fetch_queue_messages`, `rdkafka_partition_fetch_queue_bytes`
///   (gauges, `fetchq_cnt`, `fetchq_size`), `rdkafka_partition_rx_messages_total`,
///   `rdkafka_partition_rx_bytes_total` (counters), and for partitions in the assignment whose lag
///   is known, `rdkafka_consumer_lag` and `rdkafka_consumer_lag_stored` (gauges, in messages).
///
/// Consumer group (consumers with a `group.id`):
/// - `rdkafka_consumer_group_rebalances_total` (counter), `rdkafka_consumer_group_assignment_partitions` (gauge).
///
/// ## Semantics
///
/// Gauges of a broker or partition that no longer appears in the statistics, and consumer lag gauges
/// whose lag becomes unknown or whose partition leaves the assignment, are destroyed so that stale
/// values are not reported. Latency gauges are left unchanged for windows in which librdkafka collected
/// no samples (rather than reporting a misleading `0`), so they show the latest window that had samples.
/// Counters live as long as the exporter (or until ``destroyMetrics()``).
///
/// Series are identified by `client_id`, not by librdkafka's per-instance handle name. Clients that
/// share a `client.id` should be told apart with an extra dimension, otherwise their gauges overwrite
/// each other (their counters, being fed with increments, add up).
public final class StatisticsMetricsExporter: Sendable {
    private let namePrefix: String
    private let extraDimensions: [(String, String)]
    private let factory: any MetricsFactory
    private let state = Locked(State())

    /// Creates an exporter.
    ///
    /// - Parameters:
    ///   - namePrefix: Prefix of every metric name, joined to the rest with `_`. With the default
    ///     `"rdkafka"` names look like `rdkafka_consumer_lag`; an empty prefix yields `consumer_lag`.
    ///   - dimensions: Extra dimensions (labels) appended to every metric, for example
    ///     `[("service", "billing")]`.
    ///   - factory: The metrics factory to create handles with. Defaults to the factory bootstrapped in
    ///     `MetricsSystem` at the time the exporter is created.
    public init(
        namePrefix: String = "rdkafka",
        dimensions: [(String, String)] = [],
        factory: any MetricsFactory = MetricsSystem.factory
    ) {
        self.namePrefix = namePrefix.isEmpty || namePrefix.hasSuffix("_") ? namePrefix : namePrefix + "_"
        self.extraDimensions = dimensions
        self.factory = factory
    }

    /// Updates all metrics from a statistics snapshot.
    ///
    /// Call this with every snapshot of one client instance, in the order librdkafka emitted them.
    public func record(_ statistics: Statistics) {
        state.withLock { state in
            var update = Update(exporter: self, state: state, clientID: statistics.clientID)
            // Drop the lock's reference so the update mutates the dictionaries in place.
            state = State()
            update.record(statistics)
            state = update.finish()
        }
    }

    /// Destroys every metric handle created by this exporter and forgets all previous values.
    ///
    /// Call this when the client the exporter observes is closed, so that its series disappear.
    public func destroyMetrics() {
        state.withLock { state in
            for gauge in state.gauges.values { gauge.destroy() }
            for series in state.counters.values { series.counter.destroy() }
            state = State()
        }
    }

    // MARK: - Implementation

    fileprivate struct SeriesKey: Hashable {
        var name: String
        var dimensionValues: [String]
    }

    /// A counter fed from a cumulative librdkafka total, with the last total seen.
    fileprivate struct CounterSeries {
        var counter: Counter
        var lastTotal: Int64
    }

    fileprivate struct State {
        var gauges: [SeriesKey: Gauge] = [:]
        var counters: [SeriesKey: CounterSeries] = [:]
    }

    /// One `record(_:)` pass: updates handles and tracks which gauges are still live.
    fileprivate struct Update {
        let exporter: StatisticsMetricsExporter
        var state: State
        let clientID: String
        var liveGauges: Set<SeriesKey> = []

        init(exporter: StatisticsMetricsExporter, state: State, clientID: String) {
            self.exporter = exporter
            self.state = state
            self.clientID = clientID
        }

        mutating func record(_ s: Statistics) {
            let client: [(String, String)] = []
            gauge("queue_messages", client, s.messageCount)
            gauge("queue_bytes", client, s.messageSize)
            gauge("queue_max_messages", client, s.messageMax)
            gauge("queue_max_bytes", client, s.messageSizeMax)
            gauge("reply_queue_ops", client, s.replyQueue)
            counter("tx_requests_total", client, s.tx)
            counter("tx_bytes_total", client, s.txBytes)
            counter("rx_responses_total", client, s.rx)
            counter("rx_bytes_total", client, s.rxBytes)
            counter("tx_messages_total", client, s.txMessages)
            counter("tx_message_bytes_total", client, s.txMessageBytes)
            counter("rx_messages_total", client, s.rxMessages)
            counter("rx_message_bytes_total", client, s.rxMessageBytes)

            for broker in s.brokers {
                record(broker)
            }
            for topic in s.topics {
                for partition in topic.partitions {
                    record(partition, topic: topic.name, clientType: s.type)
                }
            }
            if let group = s.consumerGroup {
                counter("consumer_group_rebalances_total", client, group.rebalanceCount)
                gauge("consumer_group_assignment_partitions", client, group.assignmentSize)
            }
        }

        private mutating func record(_ b: Statistics.Broker) {
            let dims = [("broker", b.name)]
            gauge("broker_up", dims, b.isUp ? 1 : 0)
            gauge("broker_outbuf_count", dims, b.outbufCount)
            gauge("broker_outbuf_messages", dims, b.outbufMessageCount)
            gauge("broker_waitresp_count", dims, b.waitResponseCount)
            gauge("broker_waitresp_messages", dims, b.waitResponseMessageCount)

            // librdkafka reports rtt in microseconds and throttle time in milliseconds.
            let rttNames = ["avg", "p50", "p95", "p99", "max"].map { "broker_rtt_\($0)_seconds" }
            let rttValues = [b.rtt.avg, b.rtt.p50, b.rtt.p95, b.rtt.p99, b.rtt.max]
            for (name, value) in zip(rttNames, rttValues) {
                windowGauge(name, dims, hasSamples: b.rtt.count > 0, seconds: Double(value) / 1_000_000)
            }
            windowGauge(
                "broker_throttle_avg_seconds", dims,
                hasSamples: b.throttle.count > 0, seconds: Double(b.throttle.avg) / 1_000
            )
            windowGauge(
                "broker_throttle_max_seconds", dims,
                hasSamples: b.throttle.count > 0, seconds: Double(b.throttle.max) / 1_000
            )

            counter("broker_tx_requests_total", dims, b.tx)
            counter("broker_tx_bytes_total", dims, b.txBytes)
            counter("broker_rx_responses_total", dims, b.rx)
            counter("broker_rx_bytes_total", dims, b.rxBytes)
            counter("broker_tx_errors_total", dims, b.txErrors)
            counter("broker_rx_errors_total", dims, b.rxErrors)
            counter("broker_request_timeouts_total", dims, b.requestTimeouts)
            counter("broker_connects_total", dims, b.connects)
            counter("broker_disconnects_total", dims, b.disconnects)
        }

        private mutating func record(_ p: Statistics.Partition, topic: String, clientType: Statistics.ClientType) {
            let dims = [("topic", topic), ("partition", String(p.partition))]
            switch clientType {
            case .producer:
                gauge("partition_queue_messages", dims, p.messageQueueCount)
                gauge("partition_queue_bytes", dims, p.messageQueueBytes)
                gauge("partition_transmit_queue_messages", dims, p.transmitQueueCount)
                counter("partition_tx_messages_total", dims, p.txMessages)
                counter("partition_tx_bytes_total", dims, p.txBytes)
            case .consumer:
                gauge("partition_fetch_queue_messages", dims, p.fetchQueueCount)
                gauge("partition_fetch_queue_bytes", dims, p.fetchQueueSize)
                counter("partition_rx_messages_total", dims, p.rxMessages)
                counter("partition_rx_bytes_total", dims, p.rxBytes)
                // A lag of -1 means unknown (e.g. nothing committed yet); partitions that are no
                // longer desired have left the assignment and their lag is not ours to report.
                if p.desired, p.consumerLag >= 0 {
                    gauge("consumer_lag", dims, p.consumerLag)
                }
                if p.desired, p.consumerLagStored >= 0 {
                    gauge("consumer_lag_stored", dims, p.consumerLagStored)
                }
            case .other:
                break
            }
        }

        private mutating func gauge(_ name: String, _ dims: [(String, String)], _ value: Int64) {
            gaugeHandle(name, dims).record(value)
        }

        /// A gauge fed from a rolling window: kept alive but not updated when the window is empty.
        private mutating func windowGauge(_ name: String, _ dims: [(String, String)], hasSamples: Bool, seconds: Double) {
            let key = self.key(name, dims)
            if hasSamples {
                gaugeHandle(name, dims).record(seconds)
            } else if state.gauges[key] != nil {
                liveGauges.insert(key)
            }
        }

        private mutating func gaugeHandle(_ name: String, _ dims: [(String, String)]) -> Gauge {
            let key = self.key(name, dims)
            liveGauges.insert(key)
            if let gauge = state.gauges[key] { return gauge }
            let gauge = Gauge(label: key.name, dimensions: dimensions(dims), factory: exporter.factory)
            state.gauges[key] = gauge
            return gauge
        }

        // librdkafka's totals are cumulative since the client was created. They are exported as
        // swift-metrics Counters incremented by the difference to the previous snapshot, not as Gauges
        // holding the cumulative value: backends then type them as counters (Prometheus `counter`,
        // hence the `_total` suffix) so rate()/increase() apply, and series from several clients that
        // share the same dimensions add up instead of overwriting each other. A total that goes down
        // (which librdkafka should not do) only resets the baseline; it never decrements a counter.
        private mutating func counter(_ name: String, _ dims: [(String, String)], _ total: Int64) {
            let key = self.key(name, dims)
            if var series = state.counters[key] {
                if total > series.lastTotal {
                    series.counter.increment(by: total - series.lastTotal)
                }
                series.lastTotal = total
                state.counters[key] = series
            } else {
                let counter = Counter(label: key.name, dimensions: dimensions(dims), factory: exporter.factory)
                if total > 0 { counter.increment(by: total) }
                state.counters[key] = CounterSeries(counter: counter, lastTotal: total)
            }
        }

        private func key(_ name: String, _ dims: [(String, String)]) -> SeriesKey {
            SeriesKey(
                name: exporter.namePrefix + name,
                dimensionValues: [clientID] + dims.map(\.1)
            )
        }

        private func dimensions(_ dims: [(String, String)]) -> [(String, String)] {
            [("client_id", clientID)] + dims + exporter.extraDimensions
        }

        /// Destroys the gauges that were not refreshed in this pass and returns the new state.
        mutating func finish() -> State {
            let stale = state.gauges.keys.filter { !liveGauges.contains($0) }
            for key in stale {
                state.gauges.removeValue(forKey: key)?.destroy()
            }
            return state
        }
    }
}
