import CRdKafka
import Foundation

/// One admin request in flight: travels through librdkafka as the request's opaque and is
/// released exactly once, by the result event every admin request ends with (success,
/// broker error or timeout).
final class NativeAdminRequest: @unchecked Sendable {
    // @unchecked: `complete` is immutable and called once, on librdkafka's background thread.
    private let complete: (OpaquePointer) -> Void

    init(_ complete: @escaping (OpaquePointer) -> Void) {
        self.complete = complete
    }

    func finish(with event: OpaquePointer) { complete(event) }
}

/// The admin client's event plumbing: results arrive on librdkafka's background queue, where
/// the background thread hands each to the request that asked for it, so no thread waits.
enum NativeAdmin {
    /// Routes admin results to their requests and everything else (errors, logs, statistics)
    /// through the shared event bridge.
    static func installBackgroundCallback(on configuration: NativeConfiguration) {
        NativeEventBridge.installBackgroundCallback(on: configuration)
        rd_kafka_conf_set_background_event_cb(configuration.pointer) { client, event, opaque in
            guard let event else { return }
            if NativeAdmin.isAdminResult(rd_kafka_event_type(event)) {
                if let request = rd_kafka_event_opaque(event) {
                    Unmanaged<NativeAdminRequest>.fromOpaque(request).takeRetainedValue().finish(with: event)
                }
                rd_kafka_event_destroy(event)
                return
            }
            NativeEventBridge.dispatchOnBackgroundThread(event, client: client, opaque: opaque)
        }
    }

    private static func isAdminResult(_ type: rd_kafka_event_type_t) -> Bool {
        switch type {
        case RD_KAFKA_EVENT_CREATETOPICS_RESULT, RD_KAFKA_EVENT_DELETETOPICS_RESULT,
             RD_KAFKA_EVENT_CREATEPARTITIONS_RESULT, RD_KAFKA_EVENT_ALTERCONFIGS_RESULT,
             RD_KAFKA_EVENT_DESCRIBECONFIGS_RESULT, RD_KAFKA_EVENT_DELETERECORDS_RESULT,
             RD_KAFKA_EVENT_DELETEGROUPS_RESULT, RD_KAFKA_EVENT_DELETECONSUMERGROUPOFFSETS_RESULT,
             RD_KAFKA_EVENT_LISTCONSUMERGROUPS_RESULT, RD_KAFKA_EVENT_DESCRIBECONSUMERGROUPS_RESULT,
             RD_KAFKA_EVENT_LISTCONSUMERGROUPOFFSETS_RESULT, RD_KAFKA_EVENT_ALTERCONSUMERGROUPOFFSETS_RESULT:
            return true
        default:
            return false
        }
    }

    /// Starts one admin request and suspends until its result event has been parsed.
    ///
    /// - Parameters:
    ///   - operationTimeout: also bound the broker-side wait (topic and partition creation
    ///     and deletion), so the broker gives up when the client does.
    ///   - start: calls the librdkafka admin function with the prepared options and queue.
    ///   - parse: reads the result event on the background thread; the event is destroyed after.
    static func perform<T: Sendable>(
        client: OpaquePointer,
        api: rd_kafka_admin_op_t,
        timeout: Duration,
        operationTimeout: Bool = false,
        start: (_ options: OpaquePointer, _ queue: OpaquePointer) -> Void,
        parse: @escaping (OpaquePointer) -> Result<T, KafkaError>
    ) async -> Result<T, KafkaError> {
        let milliseconds = max(1, Duration.timeoutMilliseconds(timeout))
        return await withUnsafeContinuation { (continuation: UnsafeContinuation<Result<T, KafkaError>, Never>) in
            guard let options = rd_kafka_AdminOptions_new(client, api),
                  let queue = rd_kafka_queue_get_background(client) else {
                continuation.resume(returning: .failure(KafkaError(code: .failure, message: "librdkafka could not prepare the admin request")))
                return
            }
            defer {
                rd_kafka_queue_destroy(queue)
                rd_kafka_AdminOptions_destroy(options)
            }
            var errors = [CChar](repeating: 0, count: 256)
            var code = rd_kafka_AdminOptions_set_request_timeout(options, milliseconds, &errors, errors.count)
            if code == RD_KAFKA_RESP_ERR_NO_ERROR, operationTimeout {
                code = rd_kafka_AdminOptions_set_operation_timeout(options, milliseconds, &errors, errors.count)
            }
            guard code == RD_KAFKA_RESP_ERR_NO_ERROR else {
                continuation.resume(returning: .failure(KafkaError(code: .invalidArgument, message: "invalid admin timeout: \(String(cBuffer: errors))")))
                return
            }
            let request = NativeAdminRequest { event in
                let failure = rd_kafka_event_error(event)
                if failure != RD_KAFKA_RESP_ERR_NO_ERROR {
                    let text = rd_kafka_event_error_string(event).map { String(cString: $0) } ?? NativeErrors.message(of: failure.rawValue)
                    continuation.resume(returning: .failure(KafkaError(code: KafkaError.Code(rawValue: failure.rawValue), message: text)))
                } else {
                    continuation.resume(returning: parse(event))
                }
            }
            rd_kafka_AdminOptions_set_opaque(options, Unmanaged.passRetained(request).toOpaque())
            start(options, queue)
        }
    }

    /// Runs a blocking librdkafka call (metadata, watermarks) on a thread of its own, so a
    /// slow broker never holds one of Swift's cooperative threads.
    static func onDedicatedThread<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await ThreadRunner.run("rdkafka-admin", body)
    }

    // MARK: - Reading results

    /// The elements of a C array librdkafka returned with its count.
    static func elements(_ array: UnsafeMutablePointer<OpaquePointer?>?, count: Int) -> [OpaquePointer] {
        guard let array else { return [] }
        return (0..<count).compactMap { array[$0] }
    }

    /// A borrowed `rd_kafka_error_t` (owned by its result), or `nil` when it is no error.
    static func error(borrowing error: OpaquePointer?, context: String? = nil) -> KafkaError? {
        guard let error, rd_kafka_error_code(error) != RD_KAFKA_RESP_ERR_NO_ERROR else { return nil }
        let text = String(nativeCString: rd_kafka_error_string(error))
        return KafkaError(
            code: KafkaError.Code(rawValue: rd_kafka_error_code(error).rawValue),
            message: context.map { "\($0): \(text)" } ?? text,
            isRetriable: rd_kafka_error_is_retriable(error) != 0,
            isFatal: rd_kafka_error_is_fatal(error) != 0
        )
    }

    /// Per-topic outcomes of a topic-level request (create, delete, create partitions).
    static func topicResults(_ results: UnsafeMutablePointer<OpaquePointer?>?, count: Int) -> [String: Result<Void, KafkaError>] {
        var outcome: [String: Result<Void, KafkaError>] = [:]
        for result in elements(results, count: count) {
            let name = String(nativeCString: rd_kafka_topic_result_name(result))
            let code = rd_kafka_topic_result_error(result)
            if code == RD_KAFKA_RESP_ERR_NO_ERROR {
                outcome[name] = .success(())
            } else {
                let text = rd_kafka_topic_result_error_string(result).map { String(cString: $0) } ?? NativeErrors.message(of: code.rawValue)
                outcome[name] = .failure(KafkaError(code: KafkaError.Code(rawValue: code.rawValue), message: text, topic: name))
            }
        }
        return outcome
    }
}

/// Conversions between Swift partition maps and `rd_kafka_topic_partition_list_t`.
enum NativePartitionList {
    /// A new list with each partition's offset set; the caller destroys it.
    static func make(_ offsets: [TopicPartition: Int64]) -> UnsafeMutablePointer<rd_kafka_topic_partition_list_t> {
        // Never nil: the call only allocates (librdkafka aborts when an allocation fails).
        let list = rd_kafka_topic_partition_list_new(Int32(clamping: offsets.count))!
        for (key, offset) in offsets.sorted(by: { ($0.key.topic, $0.key.partition) < ($1.key.topic, $1.key.partition) }) {
            rd_kafka_topic_partition_list_add(list, key.topic, key.partition).pointee.offset = offset
        }
        return list
    }

    /// Each partition with its offset, or its error.
    static func read(_ list: UnsafePointer<rd_kafka_topic_partition_list_t>?) -> [TopicPartition: Result<Int64, KafkaError>] {
        guard let list, let elements = list.pointee.elems else { return [:] }
        var outcome: [TopicPartition: Result<Int64, KafkaError>] = [:]
        for index in 0..<Int(list.pointee.cnt) {
            let element = elements[index]
            let key = TopicPartition(topic: String(nativeCString: element.topic), partition: element.partition)
            if element.err == RD_KAFKA_RESP_ERR_NO_ERROR {
                outcome[key] = .success(element.offset)
            } else {
                outcome[key] = .failure(NativeErrors.error(element.err, topic: key.topic, partition: key.partition))
            }
        }
        return outcome
    }
}
