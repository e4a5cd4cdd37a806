import CRdKafka
import Foundation

/// Topic creation and cluster facts on an external cluster, written against librdkafka's C
/// API directly so that test set-up does not depend on the library under test.
enum RawAdmin {
    static func createTopic(
        _ name: String,
        partitions: Int,
        replicationFactor: Int,
        configs: [String: String] = [:],
        bootstrapServers: [String]
    ) throws {
        try withClient(bootstrapServers) { client in
            let queue = rd_kafka_queue_new(client)
            defer { rd_kafka_queue_destroy(queue) }
            var errors = [CChar](repeating: 0, count: 512)
            guard let newTopic = rd_kafka_NewTopic_new(name, Int32(partitions), Int32(replicationFactor), &errors, errors.count) else {
                throw TestSetupError("NewTopic \(name): \(errorText(errors))")
            }
            defer { rd_kafka_NewTopic_destroy(newTopic) }
            for (key, value) in configs.sorted(by: { $0.key < $1.key }) {
                guard rd_kafka_NewTopic_set_config(newTopic, key, value) == RD_KAFKA_RESP_ERR_NO_ERROR else {
                    throw TestSetupError("NewTopic \(name): config \(key) refused")
                }
            }
            var topics: [OpaquePointer?] = [newTopic]
            rd_kafka_CreateTopics(client, &topics, 1, nil, queue)
            guard let event = rd_kafka_queue_poll(queue, 30_000) else { throw TestSetupError("CreateTopics timed out") }
            defer { rd_kafka_event_destroy(event) }
            if rd_kafka_event_error(event) != RD_KAFKA_RESP_ERR_NO_ERROR {
                throw TestSetupError("CreateTopics failed: \(String(cString: rd_kafka_event_error_string(event)))")
            }
            var count = 0
            let results = rd_kafka_CreateTopics_result_topics(rd_kafka_event_CreateTopics_result(event), &count)
            if count > 0, let result = results?[0], rd_kafka_topic_result_error(result) != RD_KAFKA_RESP_ERR_NO_ERROR {
                throw TestSetupError("CreateTopics failed: \(String(cString: rd_kafka_topic_result_error_string(result)))")
            }
        }
    }

    /// The number of brokers in the cluster's metadata.
    static func brokerCount(bootstrapServers: [String]) throws -> Int {
        try withClient(bootstrapServers) { client in
            var metadata: UnsafePointer<rd_kafka_metadata>?
            guard rd_kafka_metadata(client, 0, nil, &metadata, 10_000) == RD_KAFKA_RESP_ERR_NO_ERROR, let metadata else {
                throw TestSetupError("metadata request failed")
            }
            defer { rd_kafka_metadata_destroy(metadata) }
            return Int(metadata.pointee.broker_cnt)
        }
    }

    private static func withClient<Result>(_ bootstrapServers: [String], _ body: (OpaquePointer) throws -> Result) throws -> Result {
        let conf = rd_kafka_conf_new()
        var errors = [CChar](repeating: 0, count: 512)
        rd_kafka_conf_set(conf, "bootstrap.servers", bootstrapServers.joined(separator: ","), &errors, errors.count)
        guard let client = rd_kafka_new(RD_KAFKA_PRODUCER, conf, &errors, errors.count) else {
            throw TestSetupError("admin client: \(errorText(errors))")
        }
        defer { rd_kafka_destroy(client) }
        return try body(client)
    }

    private static func errorText(_ buffer: [CChar]) -> String {
        String(decoding: buffer.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
