import Logging

/// Where one client's statistics go: the JSON librdkafka emits is decoded once into
/// ``Statistics`` and handed to the application's handler and to the metrics exporter.
///
/// Exists only when someone asked for statistics, so a client without them decodes nothing.
/// It keeps the latest snapshot for the clients' `metrics()`.
final class ClientStatistics: Sendable {
    private let onStatistics: (@Sendable (Statistics) -> Void)?
    private let exporter: StatisticsMetricsExporter?
    private let logger: Logger
    private let latestSnapshot = Locked<Statistics?>(nil)

    /// `nil` when the configuration asks for no statistics at all: no interval, no handler,
    /// no metrics.
    init?(configuration: ClientConfiguration) {
        guard configuration.onStatistics != nil || configuration.metrics != nil || configuration.statisticsInterval != nil else { return nil }
        self.onStatistics = configuration.onStatistics
        self.exporter = configuration.metrics.map { options in
            if let factory = options.factory {
                return StatisticsMetricsExporter(namePrefix: options.namePrefix, dimensions: options.dimensions, factory: factory)
            }
            return StatisticsMetricsExporter(namePrefix: options.namePrefix, dimensions: options.dimensions)
        }
        self.logger = configuration.logger
    }

    /// Decodes one snapshot and passes it on; called on librdkafka's background thread.
    func handle(json: String) {
        let statistics: Statistics
        do {
            statistics = try Statistics(json: json)
        } catch {
            logger.warning("librdkafka statistics could not be decoded", metadata: ["error": "\(error)"])
            return
        }
        latestSnapshot.withLock { $0 = statistics }
        exporter?.record(statistics)
        onStatistics?(statistics)
    }

    /// The last snapshot decoded, if any yet.
    var latest: Statistics? { latestSnapshot.withLock { $0 } }

    /// Removes the client's series once it is closed, so dead clients do not report stale values.
    func clientDidClose() {
        exporter?.destroyMetrics()
    }

    /// The handler for ``NativeEventReceiver/didReceive(statisticsJSON:)``.
    var jsonHandler: @Sendable (String) -> Void {
        { [self] json in handle(json: json) }
    }
}
