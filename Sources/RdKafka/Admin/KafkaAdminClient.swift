/// Manages topics, configuration and consumer groups, and inspects the cluster.
///
/// ```swift
/// let admin = try KafkaAdminClient(configuration: .init(bootstrapServers: ["localhost:9092"]))
/// let results = try await admin.createTopics([
///     NewTopic(name: "orders", partitions: 6, replicationFactor: 3),
///     NewTopic(name: "audit", partitions: 1, replicationFactor: 3, configs: ["cleanup.policy": "compact"]),
/// ])
/// for (topic, result) in results { print(topic, result) }
/// await admin.close()
/// ```
///
/// Every request is asynchronous and suspends without blocking a thread: librdkafka answers
/// on its background queue, whose thread hands each result to the waiting task. Every request
/// has a timeout (``AdminConfiguration/defaultTimeout`` unless the call names one) and an
/// unanswered request fails with a `timedOut` ``KafkaError``.
///
/// Batch requests answer per item — `[name: Result]` — so one bad topic does not hide what
/// happened to the others; they throw only when the whole request failed (timeout, no
/// broker reachable) or was invalid before it was sent (empty or malformed names, partition
/// counts below 1: `invalidArgument`).
public final class KafkaAdminClient: Sendable {
    let client: NativeClient
    let gate = ClientGate()
    let defaultTimeout: Duration
    private let statistics: ClientStatistics?

    /// Creates the client; an invalid configuration throws here, naming the property.
    public init(configuration: AdminConfiguration) throws(KafkaError) {
        try AdminValidation.timeout(configuration.defaultTimeout)
        let native = NativeConfiguration()
        let security = ClientSecurity(configuration: configuration.client, native: native)
        try security.scrubbing { () throws(KafkaError) in
            var properties = try configuration.client.typedProperties()
            // Asking for a topic's metadata must never create it.
            properties["allow.auto.create.topics"] = "false"
            properties.merge(configuration.client.properties) { _, passthrough in passthrough }
            try native.set(properties)
        }
        try native.set("log.queue", "true")
        let statistics = ClientStatistics(configuration: configuration.client)
        let events = AdminEventReceiver(configuration: configuration.client, statistics: statistics)
        let context = NativeCallbackContext(receiver: events, partitioner: nil, tokenRefreshHandler: security.tokenRefresher)
        NativeAdmin.installBackgroundCallback(on: native)
        self.client = try security.scrubbing { () throws(KafkaError) in
            try NativeClient(kind: .producer, configuration: native, callbackContext: context)
        }
        try security.start(client)
        NativeEventBridge.routeMainQueueToBackground(of: client.pointer)
        self.defaultTimeout = configuration.defaultTimeout
        self.statistics = statistics
    }

    /// The client's name as librdkafka reports it, e.g. in logs and statistics.
    public var name: String { client.name }

    /// Waits for the requests in flight (each ends by its timeout at the latest) and releases
    /// the client. Later calls throw `clientClosed`; closing twice is safe.
    public func close() async {
        guard gate.close() else { return }
        await gate.waitUntilDrained()
        client.destroy()
        statistics?.clientDidClose()
    }

    /// Runs one request inside the gate, so close never releases the client under it.
    func run<T: Sendable>(
        timeout: Duration?,
        _ operation: (OpaquePointer, Duration) async -> Result<T, KafkaError>
    ) async throws(KafkaError) -> T {
        let timeout = timeout ?? defaultTimeout
        try AdminValidation.timeout(timeout)
        guard gate.enter() else { throw .clientClosed("admin client") }
        let result = await operation(client.pointer, timeout)
        gate.leave()
        return try result.get()
    }
}
