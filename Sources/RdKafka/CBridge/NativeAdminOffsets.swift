import CRdKafka

/// Group-offset deletion, timestamp lookups and cluster identity for the admin client.
extension NativeAdmin {
    /// Deletes the group's committed offsets of `partitions`; answers per partition.
    static func deleteConsumerGroupOffsets(client: OpaquePointer, group: String, partitions: [TopicPartition], timeout: Duration) async -> Result<[TopicPartition: Result<Int64, KafkaError>], KafkaError> {
        let list = NativePartitionList.make(Dictionary(partitions.map { ($0, Int64(RD_KAFKA_OFFSET_INVALID)) }, uniquingKeysWith: { first, _ in first }))
        defer { rd_kafka_topic_partition_list_destroy(list) }
        var requests: [OpaquePointer?] = [rd_kafka_DeleteConsumerGroupOffsets_new(group, list)]
        defer { rd_kafka_DeleteConsumerGroupOffsets_destroy(requests[0]) }
        return await perform(client: client, api: RD_KAFKA_ADMIN_OP_DELETECONSUMERGROUPOFFSETS, timeout: timeout) { options, queue in
            rd_kafka_DeleteConsumerGroupOffsets(client, &requests, 1, options, queue)
        } parse: { event in
            var count = 0
            let results = rd_kafka_DeleteConsumerGroupOffsets_result_groups(rd_kafka_event_DeleteConsumerGroupOffsets_result(event), &count)
            return onlyGroupPartitions(results, count: count, group: group)
        }
    }

    /// For each partition, the offset of its first record with a timestamp at or after the
    /// given one (milliseconds since the epoch); -1 when there is none.
    static func offsetsForTimes(client: OpaquePointer, _ timestamps: [TopicPartition: Int64], timeout: Duration) async -> Result<[TopicPartition: Result<Int64, KafkaError>], KafkaError> {
        let handle = Handle(pointer: client)
        let milliseconds = Duration.timeoutMilliseconds(timeout)
        return await onDedicatedThread {
            let list = NativePartitionList.make(timestamps)
            defer { rd_kafka_topic_partition_list_destroy(list) }
            let code = rd_kafka_offsets_for_times(handle.pointer, list, milliseconds)
            guard code == RD_KAFKA_RESP_ERR_NO_ERROR else {
                return .failure(NativeErrors.error(code, context: "offsets for times failed"))
            }
            return .success(NativePartitionList.read(list))
        }
    }

    /// The cluster's id and its controller's broker id, `nil` when the broker did not say
    /// (brokers before Kafka 0.10 or when no metadata arrived within `timeout`).
    static func clusterIdentity(client: OpaquePointer, timeout: Duration) async -> (clusterID: String?, controllerID: Int32?) {
        let handle = Handle(pointer: client)
        let deadline = ContinuousClock.now + timeout
        return await onDedicatedThread {
            let clusterID: String? = rd_kafka_clusterid(handle.pointer, Duration.timeoutMilliseconds(timeout)).map { text in
                defer { rd_kafka_mem_free(handle.pointer, text) }
                return String(cString: text)
            }
            let remaining = Duration.timeoutMilliseconds(max(.milliseconds(1), ContinuousClock.now.duration(to: deadline)))
            let controller = rd_kafka_controllerid(handle.pointer, remaining)
            return (clusterID, controller >= 0 ? controller : nil)
        }
    }
}
