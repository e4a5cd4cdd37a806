extension KafkaConsumer {
    /// Joins the group and reads the given topics; the group decides which partitions this
    /// member gets.
    ///
    /// A name starting with `^` is a regular expression matched against all topics, also
    /// those created later. Replaces the previous subscription. `listener` is told about
    /// every assignment change from now on (see ``RebalanceListener``).
    public func subscribe(topics: [String], listener: (any RebalanceListener)? = nil) throws(KafkaError) {
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
    public func unsubscribe() throws(KafkaError) {
        try withClient { native throws(KafkaError) in try native.unsubscribe() }
    }

    /// The topics (and patterns) currently subscribed to.
    public func subscription() throws(KafkaError) -> [String] {
        try withClient { native throws(KafkaError) in try native.subscription() }
    }

    /// Reads exactly these partitions, without group management (no rebalances; commits
    /// still use the group id). Replaces the current assignment; an empty list clears it.
    ///
    /// Each partition starts at its committed offset, or per ``ConsumerConfiguration/autoOffsetReset``.
    public func assign(_ partitions: [TopicPartition]) throws(KafkaError) {
        try withClient { native throws(KafkaError) in
            try native.assign(partitions.map { TopicPartitionOffset($0, offset: NativeOffset.stored) })
        }
    }

    /// Reads exactly these partitions, each starting at the given offset.
    public func assign(_ offsets: [TopicPartitionOffset]) throws(KafkaError) {
        try withClient { native throws(KafkaError) in try native.assign(offsets) }
    }

    /// Adds partitions to the current assignment (cooperative protocol, or manual assignment).
    public func incrementalAssign(_ partitions: [TopicPartition]) throws(KafkaError) {
        try withClient { native throws(KafkaError) in
            try native.incrementalAssign(partitions.map { TopicPartitionOffset($0, offset: NativeOffset.stored) })
        }
    }

    /// Removes partitions from the current assignment.
    public func incrementalUnassign(_ partitions: [TopicPartition]) throws(KafkaError) {
        try withClient { native throws(KafkaError) in try native.incrementalUnassign(partitions) }
    }

    /// The partitions this consumer currently reads.
    public func assignment() throws(KafkaError) -> [TopicPartition] {
        try withClient { native throws(KafkaError) in try native.assignment() }.sorted()
    }
}
