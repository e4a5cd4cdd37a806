import CRdKafka

/// Installs a Swift partitioner as librdkafka's topic partitioner callback.
enum NativePartitioner {
    /// librdkafka calls the partitioner with the topic's opaque; we point it at the client's
    /// callback context, which holds the Swift function and outlives the client.
    static func install(on configuration: NativeConfiguration, context: NativeCallbackContext) {
        let topicConfiguration = NativeTopicConfiguration()
        rd_kafka_topic_conf_set_opaque(topicConfiguration.pointer, Unmanaged.passUnretained(context).toOpaque())
        rd_kafka_topic_conf_set_partitioner_cb(topicConfiguration.pointer) { _, key, keyLength, partitionCount, topicOpaque, _ in
            guard let topicOpaque else { return RD_KAFKA_PARTITION_UA }
            let context = Unmanaged<NativeCallbackContext>.fromOpaque(topicOpaque).takeUnretainedValue()
            guard let choose = context.partitioner else { return RD_KAFKA_PARTITION_UA }
            return choose(UnsafeRawBufferPointer(start: key, count: keyLength), partitionCount)
        }
        configuration.setDefaultTopicConfiguration(topicConfiguration)
    }
}
