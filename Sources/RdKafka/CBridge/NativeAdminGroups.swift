import CRdKafka
import Foundation

/// Consumer-group and record-deletion admin requests.
extension NativeAdmin {
    /// The group's committed offsets; `partitions` `nil` asks for every partition it committed.
    static func listConsumerGroupOffsets(client: OpaquePointer, group: String, partitions: [TopicPartition]?, timeout: Duration) async -> Result<[TopicPartition: Result<Int64, KafkaError>], KafkaError> {
        let list = partitions.map { NativePartitionList.make(Dictionary($0.map { ($0, Int64(RD_KAFKA_OFFSET_INVALID)) }, uniquingKeysWith: { a, _ in a })) }
        defer { if let list { rd_kafka_topic_partition_list_destroy(list) } }
        var requests: [OpaquePointer?] = [rd_kafka_ListConsumerGroupOffsets_new(group, list)]
        defer { rd_kafka_ListConsumerGroupOffsets_destroy(requests[0]) }
        return await perform(client: client, api: RD_KAFKA_ADMIN_OP_LISTCONSUMERGROUPOFFSETS, timeout: timeout) { options, queue in
            rd_kafka_ListConsumerGroupOffsets(client, &requests, 1, options, queue)
        } parse: { event in
            var count = 0
            let results = rd_kafka_ListConsumerGroupOffsets_result_groups(rd_kafka_event_ListConsumerGroupOffsets_result(event), &count)
            return onlyGroupPartitions(results, count: count, group: group)
        }
    }

    static func alterConsumerGroupOffsets(client: OpaquePointer, group: String, offsets: [TopicPartition: Int64], timeout: Duration) async -> Result<[TopicPartition: Result<Int64, KafkaError>], KafkaError> {
        let list = NativePartitionList.make(offsets)
        defer { rd_kafka_topic_partition_list_destroy(list) }
        var requests: [OpaquePointer?] = [rd_kafka_AlterConsumerGroupOffsets_new(group, list)]
        defer { rd_kafka_AlterConsumerGroupOffsets_destroy(requests[0]) }
        return await perform(client: client, api: RD_KAFKA_ADMIN_OP_ALTERCONSUMERGROUPOFFSETS, timeout: timeout) { options, queue in
            rd_kafka_AlterConsumerGroupOffsets(client, &requests, 1, options, queue)
        } parse: { event in
            var count = 0
            let results = rd_kafka_AlterConsumerGroupOffsets_result_groups(rd_kafka_event_AlterConsumerGroupOffsets_result(event), &count)
            return onlyGroupPartitions(results, count: count, group: group)
        }
    }

    /// The per-partition offsets of the one group a group-offsets request asked about.
    static func onlyGroupPartitions(
        _ results: UnsafeMutablePointer<OpaquePointer?>?,
        count: Int,
        group: String
    ) -> Result<[TopicPartition: Result<Int64, KafkaError>], KafkaError> {
        guard let result = elements(results, count: count).first else {
            return .failure(KafkaError(code: .failure, message: "no result for group '\(group)'"))
        }
        return groupPartitions(result, group: group)
    }

    static func listConsumerGroups(client: OpaquePointer, timeout: Duration) async -> Result<[ConsumerGroupListing], KafkaError> {
        await perform(client: client, api: RD_KAFKA_ADMIN_OP_LISTCONSUMERGROUPS, timeout: timeout) { options, queue in
            rd_kafka_ListConsumerGroups(client, options, queue)
        } parse: { event in
            let result = rd_kafka_event_ListConsumerGroups_result(event)
            var validCount = 0
            let valid = rd_kafka_ListConsumerGroups_result_valid(result, &validCount)
            var errorCount = 0
            let errors = rd_kafka_ListConsumerGroups_result_errors(result, &errorCount)
            let listings = elements(valid, count: validCount).map { listing in
                ConsumerGroupListing(
                    groupID: String(nativeCString: rd_kafka_ConsumerGroupListing_group_id(listing)),
                    isSimpleConsumerGroup: rd_kafka_ConsumerGroupListing_is_simple_consumer_group(listing) != 0,
                    state: state(rd_kafka_ConsumerGroupListing_state(listing))
                )
            }
            // Some brokers failing to answer is a partial result; all of them failing is an error.
            if listings.isEmpty, let first = elements(errors, count: errorCount).first, let error = error(borrowing: first, context: "listing consumer groups") {
                return .failure(error)
            }
            return .success(listings)
        }
    }

    static func describeConsumerGroups(client: OpaquePointer, _ groups: [String], timeout: Duration) async -> Result<[String: Result<ConsumerGroupDescription, KafkaError>], KafkaError> {
        let names = groups.map { strdup($0) }
        defer { for name in names { free(name) } }
        var pointers: [UnsafePointer<CChar>?] = names.map { $0.map { UnsafePointer($0) } }
        return await perform(client: client, api: RD_KAFKA_ADMIN_OP_DESCRIBECONSUMERGROUPS, timeout: timeout) { options, queue in
            rd_kafka_DescribeConsumerGroups(client, &pointers, pointers.count, options, queue)
        } parse: { event in
            var count = 0
            let results = rd_kafka_DescribeConsumerGroups_result_groups(rd_kafka_event_DescribeConsumerGroups_result(event), &count)
            var outcome: [String: Result<ConsumerGroupDescription, KafkaError>] = [:]
            for group in elements(results, count: count) {
                let id = String(nativeCString: rd_kafka_ConsumerGroupDescription_group_id(group))
                if let error = error(borrowing: rd_kafka_ConsumerGroupDescription_error(group), context: "group '\(id)'") {
                    outcome[id] = .failure(error)
                    continue
                }
                let members = (0..<rd_kafka_ConsumerGroupDescription_member_count(group)).compactMap { index -> ConsumerGroupDescription.Member? in
                    guard let member = rd_kafka_ConsumerGroupDescription_member(group, index) else { return nil }
                    let assignment = rd_kafka_MemberDescription_assignment(member).flatMap { rd_kafka_MemberAssignment_partitions($0) }
                    return ConsumerGroupDescription.Member(
                        memberID: String(nativeCString: rd_kafka_MemberDescription_consumer_id(member)),
                        clientID: String(nativeCString: rd_kafka_MemberDescription_client_id(member)),
                        groupInstanceID: rd_kafka_MemberDescription_group_instance_id(member).map { String(cString: $0) },
                        host: String(nativeCString: rd_kafka_MemberDescription_host(member)),
                        assignment: NativePartitionList.read(assignment).keys.sorted { ($0.topic, $0.partition) < ($1.topic, $1.partition) }
                    )
                }
                outcome[id] = .success(ConsumerGroupDescription(
                    groupID: id,
                    isSimpleConsumerGroup: rd_kafka_ConsumerGroupDescription_is_simple_consumer_group(group) != 0,
                    state: state(rd_kafka_ConsumerGroupDescription_state(group)),
                    partitionAssignor: rd_kafka_ConsumerGroupDescription_partition_assignor(group).map { String(cString: $0) } ?? "",
                    coordinatorID: rd_kafka_ConsumerGroupDescription_coordinator(group).map { rd_kafka_Node_id($0) },
                    members: members
                ))
            }
            return .success(outcome)
        }
    }

    static func deleteConsumerGroups(client: OpaquePointer, _ groups: [String], timeout: Duration) async -> Result<[String: Result<Void, KafkaError>], KafkaError> {
        var handles: [OpaquePointer?] = groups.map { rd_kafka_DeleteGroup_new($0) }
        defer { for handle in handles { rd_kafka_DeleteGroup_destroy(handle) } }
        return await perform(client: client, api: RD_KAFKA_ADMIN_OP_DELETEGROUPS, timeout: timeout) { options, queue in
            rd_kafka_DeleteGroups(client, &handles, handles.count, options, queue)
        } parse: { event in
            var count = 0
            let results = rd_kafka_DeleteGroups_result_groups(rd_kafka_event_DeleteGroups_result(event), &count)
            var outcome: [String: Result<Void, KafkaError>] = [:]
            for result in elements(results, count: count) {
                let name = String(nativeCString: rd_kafka_group_result_name(result))
                outcome[name] = error(borrowing: rd_kafka_group_result_error(result), context: "group '\(name)'").map { .failure($0) } ?? .success(())
            }
            return .success(outcome)
        }
    }

    /// Deletes the records before each offset; answers each partition's new low watermark.
    static func deleteRecords(client: OpaquePointer, before offsets: [TopicPartition: Int64], timeout: Duration) async -> Result<[TopicPartition: Result<Int64, KafkaError>], KafkaError> {
        let list = NativePartitionList.make(offsets)
        defer { rd_kafka_topic_partition_list_destroy(list) }
        var requests: [OpaquePointer?] = [rd_kafka_DeleteRecords_new(list)]
        defer { rd_kafka_DeleteRecords_destroy(requests[0]) }
        return await perform(client: client, api: RD_KAFKA_ADMIN_OP_DELETERECORDS, timeout: timeout, operationTimeout: true) { options, queue in
            rd_kafka_DeleteRecords(client, &requests, 1, options, queue)
        } parse: { event in
            let partitions = rd_kafka_DeleteRecords_result_offsets(rd_kafka_event_DeleteRecords_result(event))
            return .success(NativePartitionList.read(partitions))
        }
    }

    private static func groupPartitions(_ result: OpaquePointer, group: String) -> Result<[TopicPartition: Result<Int64, KafkaError>], KafkaError> {
        if let error = error(borrowing: rd_kafka_group_result_error(result), context: "group '\(group)'") {
            return .failure(error)
        }
        return .success(NativePartitionList.read(rd_kafka_group_result_partitions(result)))
    }

    private static func state(_ state: rd_kafka_consumer_group_state_t) -> ConsumerGroupState {
        switch state {
        case RD_KAFKA_CONSUMER_GROUP_STATE_PREPARING_REBALANCE: return .preparingRebalance
        case RD_KAFKA_CONSUMER_GROUP_STATE_COMPLETING_REBALANCE: return .completingRebalance
        case RD_KAFKA_CONSUMER_GROUP_STATE_STABLE: return .stable
        case RD_KAFKA_CONSUMER_GROUP_STATE_DEAD: return .dead
        case RD_KAFKA_CONSUMER_GROUP_STATE_EMPTY: return .empty
        default: return .unknown
        }
    }
}
