import CRdKafka
import CRdKafkaShims

/// An owned librdkafka mock cluster and the client handle that hosts it.
///
/// librdkafka creates a mock cluster inside an `rd_kafka_t`; this type owns both and
/// destroys them once, cluster first.
final class NativeMockCluster: @unchecked Sendable {
    // @unchecked: the pointers are immutable; librdkafka's mock functions are thread-safe
    // (they post operations to the cluster's own thread); `destroyed` is guarded by `lock`.
    private let host: OpaquePointer
    private let cluster: OpaquePointer
    private let lock = NativeLock()
    private var destroyed = false
    let bootstrapServers: String

    init(brokerCount: Int32) throws(KafkaError) {
        let configuration = NativeConfiguration()
        // The host client never connects anywhere; keep it quiet.
        try configuration.set("log_level", "3")
        var errorBuffer = [CChar](repeating: 0, count: 512)
        guard let host = rd_kafka_new(RD_KAFKA_PRODUCER, configuration.pointer, &errorBuffer, errorBuffer.count) else {
            throw KafkaError(code: .failure, message: "could not create the mock cluster's host client: \(String(cBuffer: errorBuffer))")
        }
        configuration.didTransferOwnership()
        guard let cluster = rd_kafka_mock_cluster_new(host, brokerCount) else {
            rd_kafka_destroy(host)
            throw KafkaError(code: .failure, message: "librdkafka could not start a mock cluster")
        }
        self.host = host
        self.cluster = cluster
        self.bootstrapServers = String(nativeCString: rd_kafka_mock_cluster_bootstraps(cluster))
    }

    func destroy() {
        let shouldDestroy = lock.withLock { () -> Bool in
            defer { destroyed = true }
            return !destroyed
        }
        guard shouldDestroy else { return }
        rd_kafka_mock_cluster_destroy(cluster)
        rd_kafka_destroy(host)
    }

    deinit { destroy() }

    private func check(_ code: rd_kafka_resp_err_t, _ what: String) throws(KafkaError) {
        guard code == RD_KAFKA_RESP_ERR_NO_ERROR else { throw NativeErrors.error(code, context: what) }
    }

    private func alive() throws(KafkaError) {
        if lock.withLock({ destroyed }) { throw .clientClosed("embedded cluster") }
    }

    func createTopic(_ name: String, partitions: Int32, replicationFactor: Int32) throws(KafkaError) {
        try alive()
        try check(rd_kafka_mock_topic_create(cluster, name, partitions, replicationFactor), "creating topic '\(name)'")
    }

    func setTopicError(_ topic: String, code: Int32) throws(KafkaError) {
        try alive()
        rd_kafka_mock_topic_set_error(cluster, topic, rd_kafka_resp_err_t(code))
    }

    func pushRequestErrors(apiKey: Int16, codes: [Int32]) throws(KafkaError) {
        try alive()
        let errors = codes.map { rd_kafka_resp_err_t($0) }
        errors.withUnsafeBufferPointer { buffer in
            rd_kafka_mock_push_request_errors_array(cluster, apiKey, buffer.count, buffer.baseAddress)
        }
    }

    func clearRequestErrors(apiKey: Int16) throws(KafkaError) {
        try alive()
        rd_kafka_mock_clear_request_errors(cluster, apiKey)
    }

    func pushBrokerRequestErrors(broker: Int32, apiKey: Int16, errors: [(code: Int32, roundTripMilliseconds: Int32)]) throws(KafkaError) {
        try alive()
        // The C function is variadic; push one (error, rtt) pair per call.
        for error in errors {
            try check(
                crk_mock_broker_push_request_error_rtt(cluster, broker, apiKey, rd_kafka_resp_err_t(error.code), error.roundTripMilliseconds),
                "pushing broker request errors"
            )
        }
    }

    func setBrokerDown(_ broker: Int32) throws(KafkaError) {
        try alive()
        try check(rd_kafka_mock_broker_set_down(cluster, broker), "taking broker \(broker) down")
    }

    func setBrokerUp(_ broker: Int32) throws(KafkaError) {
        try alive()
        try check(rd_kafka_mock_broker_set_up(cluster, broker), "bringing broker \(broker) up")
    }

    func setBrokerRoundTripTime(_ broker: Int32, milliseconds: Int32) throws(KafkaError) {
        try alive()
        try check(rd_kafka_mock_broker_set_rtt(cluster, broker, milliseconds), "setting broker \(broker) RTT")
    }

    func setPartitionLeader(topic: String, partition: Int32, broker: Int32) throws(KafkaError) {
        try alive()
        try check(rd_kafka_mock_partition_set_leader(cluster, topic, partition, broker), "moving the leader of \(topic)-\(partition)")
    }

    func setPartitionFollower(topic: String, partition: Int32, broker: Int32) throws(KafkaError) {
        try alive()
        try check(rd_kafka_mock_partition_set_follower(cluster, topic, partition, broker), "setting the follower of \(topic)-\(partition)")
    }

    func setCoordinator(keyType: String, key: String, broker: Int32) throws(KafkaError) {
        try alive()
        try check(rd_kafka_mock_coordinator_set(cluster, keyType, key, broker), "setting the \(keyType) coordinator for '\(key)'")
    }
}
