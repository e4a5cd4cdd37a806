import CRdKafka

/// Tells a consumer's rebalance handler the moment its JoinGroup request is written to the
/// coordinator: the one event of a rebalance that librdkafka reports to no callback, and
/// after which a commit would carry a generation about to end (see ``CommitGate``).
///
/// It is an `on_request_sent` interceptor, installed on the client from an `on_new`
/// interceptor on the configuration (librdkafka accepts client interceptors only there).
/// It runs on a broker thread, so it only records the event.
enum NativeGroupJoinObserver {
    /// The Kafka protocol's JoinGroup request.
    private static let joinGroupAPIKey: Int16 = 11

    static func install(on configuration: NativeConfiguration) {
        _ = rd_kafka_conf_interceptor_add_on_new(configuration.pointer, "swift-rdkafka-group-join", { client, _, _, _, _ in
            guard let client else { return RD_KAFKA_RESP_ERR_NO_ERROR }
            return rd_kafka_interceptor_add_on_request_sent(client, "swift-rdkafka-group-join", { client, _, _, _, apiKey, _, _, _, _ in
                guard apiKey == NativeGroupJoinObserver.joinGroupAPIKey, let client,
                      let opaque = rd_kafka_opaque(client) else { return RD_KAFKA_RESP_ERR_NO_ERROR }
                Unmanaged<NativeCallbackContext>.fromOpaque(opaque).takeUnretainedValue().rebalanceHandler?.groupJoinSent()
                return RD_KAFKA_RESP_ERR_NO_ERROR
            }, nil)
        }, nil)
    }
}
