import CRdKafka
import Foundation

/// Topic creation on a real cluster, where the embedded cluster's `createTopic` is not available.
enum RawAdmin {
    static func createTopic(_ name: String, partitions: Int, replicationFactor: Int, bootstrapServers: [String]) throws {
        let conf = rd_kafka_conf_new()
        var errors = [CChar](repeating: 0, count: 512)
        rd_kafka_conf_set(conf, "bootstrap.servers", bootstrapServers.joined(separator: ","), &errors, errors.count)
        guard let client = rd_kafka_new(RD_KAFKA_PRODUCER, conf, &errors, errors.count) else {
            throw SkipReason("admin client: \(String(decoding: errors.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self))")
        }
        defer { rd_kafka_destroy(client) }
        let queue = rd_kafka_queue_new(client)
        defer { rd_kafka_queue_destroy(queue) }
        let newTopic = rd_kafka_NewTopic_new(name, Int32(partitions), Int32(replicationFactor), &errors, errors.count)
        defer { rd_kafka_NewTopic_destroy(newTopic) }
        var topics: [OpaquePointer?] = [newTopic]
        rd_kafka_CreateTopics(client, &topics, 1, nil, queue)
        guard let event = rd_kafka_queue_poll(queue, 30_000) else { throw SkipReason("CreateTopics timed out") }
        defer { rd_kafka_event_destroy(event) }
        if rd_kafka_event_error(event) != RD_KAFKA_RESP_ERR_NO_ERROR {
            throw SkipReason("CreateTopics failed: \(String(cString: rd_kafka_event_error_string(event)))")
        }
        var count = 0
        let results = rd_kafka_CreateTopics_result_topics(rd_kafka_event_CreateTopics_result(event), &count)
        if count > 0, let result = results?[0], rd_kafka_topic_result_error(result) != RD_KAFKA_RESP_ERR_NO_ERROR {
            throw SkipReason("CreateTopics failed: \(String(cString: rd_kafka_topic_result_error_string(result)))")
        }
    }
}
