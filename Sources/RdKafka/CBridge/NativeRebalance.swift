import CRdKafka

/// What the Swift side of a consumer does when its group rebalances.
///
/// Called synchronously on the thread that serves the consumer queue (inside a poll, or
/// inside close), before librdkafka's assignment changes, so a listener may commit before
/// giving partitions up. For new partitions it answers where each should start and which
/// to keep paused, which the bridge applies with the assignment.
protocol NativeRebalanceHandler: AnyObject, Sendable {
    func partitionsAssigned(_ partitions: [TopicPartition]) -> NativeAssignmentAdjustments
    func partitionsRevoked(_ partitions: [TopicPartition], lost: Bool)
    /// The assignment change asked for by the last ``partitionsAssigned(_:)`` or
    /// ``partitionsRevoked(_:lost:)`` has been made.
    func rebalanceApplied(assigned: Bool)
    func rebalanceFailed(_ error: KafkaError)
    /// The member's JoinGroup request has been written to the coordinator (on a broker
    /// thread; see ``NativeGroupJoinObserver``).
    func groupJoinSent()
}

/// How the application wants newly assigned partitions started.
struct NativeAssignmentAdjustments {
    /// Start offsets (possibly logical, such as beginning or end) by partition.
    var startOffsets: [TopicPartition: Int64] = [:]
    /// Partitions to pause as soon as they are assigned.
    var paused: [TopicPartition] = []
}

/// Installs librdkafka's rebalance callback and performs the assignment change that fits the
/// group's protocol: `assign` for eager (range, roundrobin), `incremental_assign` /
/// `incremental_unassign` for cooperative-sticky.
enum NativeRebalanceBridge {
    static func install(on configuration: NativeConfiguration) {
        rd_kafka_conf_set_rebalance_cb(configuration.pointer) { client, code, list, opaque in
            guard let client else { return }
            let handler = opaque.flatMap {
                Unmanaged<NativeCallbackContext>.fromOpaque($0).takeUnretainedValue().rebalanceHandler
            }
            NativeRebalanceBridge.rebalance(client: client, code: code, list: list, handler: handler)
        }
        NativeGroupJoinObserver.install(on: configuration)
    }

    private static func rebalance(
        client: OpaquePointer,
        code: rd_kafka_resp_err_t,
        list: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?,
        handler: (any NativeRebalanceHandler)?
    ) {
        let cooperative = rd_kafka_rebalance_protocol(client).map { String(cString: $0) } == "COOPERATIVE"
        let partitions = NativeTopicPartitionList.partitions(of: list)
        switch code {
        case RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS:
            let adjustments = handler?.partitionsAssigned(partitions) ?? NativeAssignmentAdjustments()
            if let list, !adjustments.startOffsets.isEmpty {
                for index in 0..<Int(list.pointee.cnt) {
                    let element = list.pointee.elems + index
                    let partition = TopicPartition(topic: String(nativeCString: element.pointee.topic), partition: element.pointee.partition)
                    if let offset = adjustments.startOffsets[partition] { element.pointee.offset = offset }
                }
            }
            // Paused before the assignment: librdkafka 2.0.2 takes a pause's version barrier
            // before it queues the pause, so a partition op librdkafka queues in between (the
            // assignment's fetch start, once the committed offset is known) is served first,
            // makes the pause outdated, and the pause is dropped without a word. Before the
            // assignment nothing is under way for these partitions; the flag survives it.
            let unpaused = pause(client, adjustments.paused, handler: handler, reportUnknown: false)
            if cooperative {
                if let error = rd_kafka_incremental_assign(client, list) {
                    handler?.rebalanceFailed(NativeErrors.consume(error, context: "incremental assign failed"))
                }
            } else {
                let result = rd_kafka_assign(client, list)
                if result != RD_KAFKA_RESP_ERR_NO_ERROR {
                    handler?.rebalanceFailed(NativeErrors.error(result, context: "assign failed"))
                }
            }
            // A partition librdkafka did not know yet can only be paused now.
            _ = pause(client, unpaused, handler: handler, reportUnknown: true)
            handler?.rebalanceApplied(assigned: true)
        case RD_KAFKA_RESP_ERR__REVOKE_PARTITIONS:
            handler?.partitionsRevoked(partitions, lost: rd_kafka_assignment_lost(client) != 0)
            if cooperative {
                if let error = rd_kafka_incremental_unassign(client, list) {
                    handler?.rebalanceFailed(NativeErrors.consume(error, context: "incremental unassign failed"))
                }
            } else {
                _ = rd_kafka_assign(client, nil)
            }
            handler?.rebalanceApplied(assigned: false)
        default:
            handler?.rebalanceFailed(NativeErrors.error(code, context: "rebalance failed"))
            _ = rd_kafka_assign(client, nil)
        }
    }

    /// Pauses `partitions`; returns those librdkafka skipped as unknown, which it reports
    /// per partition (reported as a failure only when `reportUnknown`).
    private static func pause(
        _ client: OpaquePointer,
        _ partitions: [TopicPartition],
        handler: (any NativeRebalanceHandler)?,
        reportUnknown: Bool
    ) -> [TopicPartition] {
        guard !partitions.isEmpty else { return [] }
        let list = NativeTopicPartitionList(partitions)
        let result = rd_kafka_pause_partitions(client, list.pointer)
        if result != RD_KAFKA_RESP_ERR_NO_ERROR {
            handler?.rebalanceFailed(NativeErrors.error(result, context: "pausing assigned partitions failed"))
            return []
        }
        let unknown = list.partitionsWithError(RD_KAFKA_RESP_ERR__UNKNOWN_PARTITION)
        if reportUnknown, let error = list.firstError(context: "pausing an assigned partition failed") {
            handler?.rebalanceFailed(error)
        }
        return unknown
    }
}
