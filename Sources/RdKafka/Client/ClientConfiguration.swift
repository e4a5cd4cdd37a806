import Logging

/// The settings every client shares: where the cluster is, who the client is, security,
/// observability, and a passthrough for any librdkafka property without a typed field.
///
/// ``ProducerConfiguration`` and ``ConsumerConfiguration`` embed one and forward its
/// properties, so `configuration.bootstrapServers` works on either.
///
/// Printing or dumping a configuration never shows a secret: ``Secret`` values and the
/// passthrough ``properties`` whose names say password, secret or token (and private keys)
/// appear as `<redacted>`.
public struct ClientConfiguration: Sendable {
    /// `host:port` pairs used to discover the cluster (`bootstrap.servers`).
    public var bootstrapServers: [String]
    /// The client id sent to brokers, visible in their logs and quotas (`client.id`).
    public var clientID: String?
    /// TLS and SASL settings.
    public var security: SecurityConfiguration
    /// How often librdkafka emits ``Statistics`` (`statistics.interval.ms`); `nil` turns them off.
    public var statisticsInterval: Duration?
    /// librdkafka debug contexts to log, such as `["broker", "msg"]` (`debug`).
    public var debug: [String]
    /// The logger librdkafka's log lines are sent to. Its level also sets librdkafka's
    /// `log_level`, so lines below it are never produced.
    public var logger: Logger
    /// Called with client-level errors: all brokers down, authentication failures, fatal errors.
    public var onError: (@Sendable (KafkaError) -> Void)?
    /// Called when a broker throttles this client because of a quota.
    public var onThrottle: (@Sendable (ThrottleEvent) -> Void)?
    /// Receives every ``Statistics`` snapshot, on the thread that serves the client's events
    /// (librdkafka's background thread; a producer's report thread): keep it short.
    /// Needs ``statisticsInterval``. A snapshot that cannot be decoded is logged, not passed on.
    public var onStatistics: (@Sendable (Statistics) -> Void)?
    /// Exports every ``Statistics`` snapshot to swift-metrics (see ``StatisticsMetricsExporter``).
    /// Needs ``statisticsInterval``; `nil` exports nothing.
    public var metrics: StatisticsMetricsOptions?
    /// Tracing of sends and record processing with swift-distributed-tracing; on by default,
    /// and without effect until a tracer is bootstrapped (see ``TracingConfiguration``).
    public var tracing: TracingConfiguration = .enabled
    /// Any librdkafka property by its librdkafka name. Applied after the typed settings, so
    /// it overrides them; each is still validated at construction. Values of properties
    /// whose names say password, secret or token are redacted wherever the client shows text.
    public var properties: [String: String]

    public init(
        bootstrapServers: [String],
        clientID: String? = nil,
        security: SecurityConfiguration = .init(),
        statisticsInterval: Duration? = nil,
        debug: [String] = [],
        logger: Logger = Logger(label: "rdkafka"),
        properties: [String: String] = [:]
    ) {
        self.bootstrapServers = bootstrapServers
        self.clientID = clientID
        self.security = security
        self.statisticsInterval = statisticsInterval
        self.debug = debug
        self.logger = logger
        self.properties = properties
    }

    /// The typed settings as librdkafka properties (without the passthrough).
    func typedProperties() throws(KafkaError) -> [String: String] {
        guard !bootstrapServers.isEmpty else {
            throw KafkaError(
                code: .invalidConfiguration,
                message: "bootstrapServers is empty: name at least one host:port",
                property: "bootstrap.servers"
            )
        }
        var result: [String: String] = ["bootstrap.servers": bootstrapServers.joined(separator: ",")]
        result["client.id"] = clientID
        let wantsStatistics = onStatistics != nil || metrics != nil
        if wantsStatistics, statisticsInterval == nil, properties["statistics.interval.ms"] == nil {
            throw KafkaError(
                code: .invalidConfiguration,
                message: "onStatistics or metrics is set but statisticsInterval is nil, so librdkafka would never emit statistics",
                property: "statistics.interval.ms"
            )
        }
        if let statisticsInterval {
            result["statistics.interval.ms"] = try statisticsInterval.wholeMilliseconds(for: "statistics.interval.ms")
        }
        if !debug.isEmpty { result["debug"] = debug.joined(separator: ",") }
        result["log_level"] = String(logger.logLevel.syslogLevel)
        result.merge(try security.properties()) { _, new in new }
        return result
    }

    /// Removes this configuration's secrets from text the client shows (see ``SecretScrubber``).
    var secretScrubber: SecretScrubber {
        let passthrough = properties.compactMap { SensitiveProperty.isSensitive($0.key) ? $0.value : nil }
        return SecretScrubber(secrets: security.secretValues + passthrough)
    }

    /// Whether connections use TLS, by the typed setting or the passthrough.
    var usesTLS: Bool {
        if let passthrough = properties["security.protocol"]?.lowercased() {
            return passthrough == "ssl" || passthrough == "sasl_ssl"
        }
        return security.securityProtocol?.usesTLS ?? false
    }
}

extension ClientConfiguration: CustomReflectable {
    // `print`, `dump` and `String(describing:)` go through this mirror, also when the
    // configuration is printed inside a producer's or consumer's configuration.
    public var customMirror: Mirror {
        Mirror(
            self,
            children: [
                "bootstrapServers": bootstrapServers,
                "clientID": clientID as Any,
                "security": security,
                "statisticsInterval": statisticsInterval as Any,
                "debug": debug,
                "logger": logger.label,
                "onError": onError as Any,
                "onThrottle": onThrottle as Any,
                "onStatistics": onStatistics as Any,
                "metrics": metrics as Any,
                "properties": SensitiveProperty.redacted(properties),
            ],
            displayStyle: .struct
        )
    }
}

/// A broker told the client to slow down because it exceeded a quota.
public struct ThrottleEvent: Sendable, Hashable {
    /// The broker's name as librdkafka knows it (`host:port/id`).
    public var brokerName: String
    /// The broker's node id.
    public var brokerID: Int32
    /// How long the broker throttled the client.
    public var duration: Duration
}

extension Logger.Level {
    /// The syslog severity librdkafka uses for this level.
    var syslogLevel: Int {
        switch self {
        case .trace, .debug: return 7
        case .info: return 6
        case .notice: return 5
        case .warning: return 4
        case .error: return 3
        case .critical: return 2
        }
    }

    /// The swift-log level for a librdkafka (syslog) severity.
    init(syslogLevel: Int32) {
        switch syslogLevel {
        case ...2: self = .critical
        case 3: self = .error
        case 4: self = .warning
        case 5: self = .notice
        case 6: self = .info
        default: self = .debug
        }
    }
}

extension Duration {
    /// The duration in whole milliseconds, as librdkafka's `*.ms` properties expect.
    func wholeMilliseconds(for property: String) throws(KafkaError) -> String {
        let (seconds, attoseconds) = components
        guard seconds >= 0, attoseconds >= 0 else {
            throw KafkaError(code: .invalidConfiguration, message: "'\(property)' must not be negative", property: property)
        }
        let (milliseconds, overflow) = seconds.multipliedReportingOverflow(by: 1000)
        guard !overflow else {
            throw KafkaError(code: .invalidConfiguration, message: "'\(property)' is too large", property: property)
        }
        return String(milliseconds + attoseconds / 1_000_000_000_000_000)
    }

    /// Milliseconds, clamped into librdkafka's `int` timeout arguments; `nil` waits forever (-1).
    static func timeoutMilliseconds(_ duration: Duration?) -> Int32 {
        guard let duration else { return -1 }
        let (seconds, attoseconds) = duration.components
        if seconds < 0 { return 0 }
        if seconds > Int64(Int32.max) / 1000 { return .max }
        return Int32(clamping: seconds * 1000 + attoseconds / 1_000_000_000_000_000)
    }
}
