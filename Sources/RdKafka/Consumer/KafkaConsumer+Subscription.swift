extension KafkaConsumer {
    /// Joins the group and reads the given topics; the group decides which partitions this
    /// member gets.
    ///
    /// A name starting with `^` is a regular expression matched against all topics, also
    /// those created later. Replaces the previous subscription. `listener` is told about
    /// every assignment change from now on (see ``RebalanceListener``).
    public func subscribe(topics: [String], listener: (any RebalanceListener)? = nil) throws(KafkaError) {
        try requireGroup("subscribe")
        guard !topics.isEmpty else {
            throw KafkaError(code: .invalidArgument, message: "subscribe needs at least one topic; use unsubscribe() to stop")
        }
        // Names starting with "^" are patterns, matched against the cluster's topics.
        for topic in topics where !topic.hasPrefix("^") {
            if let problem = TopicName.problem(with: topic) {
                throw KafkaError(code: .invalidArgument, message: problem, topic: topic)
            }
        }
        rebalance.setListener(listener)
        try withClient { native throws(KafkaError) in try native.subscribe(topics) }
    }

    /// Leaves the subscription; the listener is told of the revocation at the next read.
    /// Without a group there is no subscription, and it does nothing.
    public func unsubscribe() throws(KafkaError) {
        guard hasGroup else { return }
        try withClient { native throws(KafkaError) in try native.unsubscribe() }
        rebalance.unsubscribed()
        reader.drop(.all)
    }

    /// The topics (and patterns) currently subscribed to.
    public func subscription() throws(KafkaError) -> [String] {
        guard hasGroup else { return [] }
        return try withClient { native throws(KafkaError) in try native.subscription() }
    }

    /// Reads exactly these partitions, without group management (no rebalances; commits
    /// still use the group id, if there is one). Replaces the current assignment; an empty
    /// list clears it.
    ///
    /// Each partition starts at its committed offset, or per ``ConsumerConfiguration/autoOffsetReset``
    /// when it has none, as always without a group. Without a group and with
    /// `autoOffsetReset` `.error`, give the offsets: `assign(_:)` with offsets.
    public func assign(_ partitions: [TopicPartition]) throws(KafkaError) {
        try assign(partitions.map { TopicPartitionOffset($0, offset: NativeOffset.stored) })
    }

    /// Reads exactly these partitions, each starting at the given offset. Records the async
    /// sequence read ahead and has not returned are dropped.
    public func assign(_ offsets: [TopicPartitionOffset]) throws(KafkaError) {
        // Stored while the partitions are still assigned (librdkafka refuses it after).
        reader.storeReturned()
        try withClient { native throws(KafkaError) in try native.assign(offsets) }
        pausedPartitions.keep(only: Set(offsets.map(\.topicPartition)))
        reader.drop(.all)
    }

    /// Adds partitions to the current assignment (cooperative protocol, or manual assignment).
    public func incrementalAssign(_ partitions: [TopicPartition]) throws(KafkaError) {
        try withClient { native throws(KafkaError) in
            try native.incrementalAssign(partitions.map { TopicPartitionOffset($0, offset: NativeOffset.stored) })
        }
        reader.drop(.partitions(Set(partitions)))
    }

    /// Removes partitions from the current assignment.
    public func incrementalUnassign(_ partitions: [TopicPartition]) throws(KafkaError) {
        reader.storeReturned()
        try withClient { native throws(KafkaError) in try native.incrementalUnassign(partitions) }
        pausedPartitions.forget(partitions)
        reader.drop(.partitions(Set(partitions)))
    }

    /// The partitions this consumer currently reads.
    public func assignment() throws(KafkaError) -> [TopicPartition] {
        try withClient { native throws(KafkaError) in try native.assignment() }.sorted()
    }
}
