import CRdKafka

/// Blocking metadata and watermark queries, run off Swift's cooperative threads.
extension NativeAdmin {
    /// A client handle carried to the dedicated thread; the caller keeps the client open
    /// (inside its gate) until the thread has finished.
    struct Handle: @unchecked Sendable {
        let pointer: OpaquePointer
    }

    static func metadata(client: OpaquePointer, topics: [String]?, timeout: Duration) async -> Result<ClusterMetadata, KafkaError> {
        let handle = Handle(pointer: client)
        let milliseconds = Duration.timeoutMilliseconds(timeout)
        return await onDedicatedThread { metadataBlocking(client: handle.pointer, topics: topics, milliseconds: milliseconds) }
    }

    /// ``metadata(client:topics:timeout:)`` on the calling thread, which it blocks: for a
    /// caller that may block, such as a send placing a record with a Swift partitioner.
    static func metadataBlocking(client: OpaquePointer, topics: [String]?, milliseconds: Int32) -> Result<ClusterMetadata, KafkaError> {
        // One topic is asked for directly; several, or all, come from the full listing.
        let single = topics.flatMap { $0.count == 1 ? rd_kafka_topic_new(client, $0[0], nil) : nil }
        defer { if let single { rd_kafka_topic_destroy(single) } }
        var metadata: UnsafePointer<rd_kafka_metadata>?
        let code = rd_kafka_metadata(client, single == nil ? 1 : 0, single, &metadata, milliseconds)
        guard code == RD_KAFKA_RESP_ERR_NO_ERROR, let metadata else {
            return .failure(NativeErrors.error(code, context: "metadata request failed"))
        }
        defer { rd_kafka_metadata_destroy(metadata) }
        return .success(convert(metadata.pointee, only: topics.map(Set.init)))
    }

    private static func convert(_ metadata: rd_kafka_metadata, only: Set<String>?) -> ClusterMetadata {
        let brokers = (0..<Int(metadata.broker_cnt)).map { index in
            let broker = metadata.brokers[index]
            return ClusterMetadata.Broker(id: broker.id, host: String(nativeCString: broker.host), port: Int(broker.port))
        }
        var topics: [ClusterMetadata.Topic] = []
        for index in 0..<Int(metadata.topic_cnt) {
            let topic = metadata.topics[index]
            let name = String(nativeCString: topic.topic)
            if let only, !only.contains(name) { continue }
            let partitions = (0..<Int(topic.partition_cnt)).map { partitionIndex in
                let partition = topic.partitions[partitionIndex]
                return ClusterMetadata.Partition(
                    id: partition.id,
                    leader: partition.leader,
                    replicas: (0..<Int(partition.replica_cnt)).map { partition.replicas[$0] },
                    inSyncReplicas: (0..<Int(partition.isr_cnt)).map { partition.isrs[$0] },
                    error: partition.err == RD_KAFKA_RESP_ERR_NO_ERROR ? nil : NativeErrors.error(partition.err, topic: name, partition: partition.id)
                )
            }
            topics.append(ClusterMetadata.Topic(
                name: name,
                partitions: partitions.sorted { $0.id < $1.id },
                error: topic.err == RD_KAFKA_RESP_ERR_NO_ERROR ? nil : NativeErrors.error(topic.err, topic: name)
            ))
        }
        return ClusterMetadata(
            brokers: brokers.sorted { $0.id < $1.id },
            topics: topics.sorted { $0.name < $1.name },
            originatingBrokerID: metadata.orig_broker_id
        )
    }

    /// The low and high watermarks of each partition, asked of the partition leaders.
    static func watermarks(client: OpaquePointer, _ partitions: [TopicPartition], timeout: Duration) async -> [TopicPartition: Result<Watermarks, KafkaError>] {
        let handle = Handle(pointer: client)
        let deadline = ContinuousClock.now + timeout
        return await onDedicatedThread {
            var outcome: [TopicPartition: Result<Watermarks, KafkaError>] = [:]
            for partition in partitions {
                var low: Int64 = 0
                var high: Int64 = 0
                let remaining = Duration.timeoutMilliseconds(max(.milliseconds(1), ContinuousClock.now.duration(to: deadline)))
                let code = rd_kafka_query_watermark_offsets(handle.pointer, partition.topic, partition.partition, &low, &high, remaining)
                outcome[partition] = code == RD_KAFKA_RESP_ERR_NO_ERROR
                    ? .success(Watermarks(low: low, high: high))
                    : .failure(NativeErrors.error(code, context: "watermark query failed", topic: partition.topic, partition: partition.partition))
            }
            return outcome
        }
    }
}
